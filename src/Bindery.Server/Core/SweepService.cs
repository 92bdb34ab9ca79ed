using Bindery.Server.Infrastructure;
using Microsoft.Extensions.Options;

namespace Bindery.Server.Core;

/// <summary>
/// Records time-driven transitions (expiries, auto-approvals) and their events soon after they fall due, even
/// when nobody reads or writes. Reads and writes settle first anyway, so nothing depends on this timer's period.
/// </summary>
public sealed class SweepService(WritePipeline pipeline, IOptions<BinderyOptions> options, ILogger<SweepService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await pipeline.SettleIfDue(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "sweep failed; it will run again in {Interval}", options.Value.SweepInterval);
            }
        }
    }
}
