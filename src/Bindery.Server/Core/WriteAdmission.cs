using Bindery.Server.Infrastructure;

namespace Bindery.Server.Core;

/// <summary>
/// Admission to the writer (ADR 0022): a command is admitted only while fewer than <see cref="WriteOptions.MaxQueued"/>
/// wait; past that it is refused at once (503 <c>overloaded</c>) with the time the queue needs to drain as Retry-After,
/// and changes nothing. Admission counts commands rather than trusting the time estimate: one batch that waited on a
/// lock would make the estimate refuse a short queue.
/// </summary>
public sealed class WriteAdmission(WriteOptions limits)
{
    private long waiting;

    // The recent time the writer spends per command (an exponentially weighted average, in ticks), for Retry-After.
    private long commandTicks;

    public long Waiting => Interlocked.Read(ref waiting);

    /// <summary>Null when one more command may queue; else the refusal to answer at once.</summary>
    public Result? Refusal()
    {
        var now = Interlocked.Read(ref waiting);
        if (now < limits.MaxQueued)
        {
            return null;
        }
        BinderyMetrics.WriteRefused();
        var drain = TimeSpan.FromTicks(Interlocked.Read(ref commandTicks)) * now;
        return new RefusedResult("overloaded", new Say(
            $"The service is taking more writes than it can commit in time ({now} waiting); nothing was changed. Send the request again after the time in Retry-After.",
            $"服务当前收到的写入超过了能及时提交的数量（{now} 个在等待），未做任何更改。请在 Retry-After 所示时间后重新发送请求。"))
        {
            RetryAfter = TimeSpan.FromSeconds(Math.Clamp(Math.Ceiling(drain.TotalSeconds), 1, 60)),
        };
    }

    /// <summary>A command joined the queue.</summary>
    public void Queued() => Interlocked.Increment(ref waiting);

    /// <summary>The writer took a command off the queue (or it never got on it).</summary>
    public void Taken() => Interlocked.Decrement(ref waiting);

    /// <summary>A batch of <paramref name="commands"/> committed in <paramref name="took"/>.</summary>
    public void Served(int commands, TimeSpan took)
    {
        var perCommand = took.Ticks / Math.Max(commands, 1);
        var previous = Interlocked.Read(ref commandTicks);
        Interlocked.Exchange(ref commandTicks, previous == 0 ? perCommand : (previous * 7 + perCommand) / 8);
    }
}
