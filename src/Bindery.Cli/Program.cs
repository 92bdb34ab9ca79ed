using System.Text;

namespace Bindery.Cli;

/// <summary>The process entry point: the real console, network and config directory; Ctrl+C cancels.</summary>
public static class CliProgram
{
    public static async Task<int> Main(string[] args)
    {
        Console.OutputEncoding = Encoding.UTF8;
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return await BinderyCli.ForProcess().InvokeAsync(args, cancel.Token);
    }
}
