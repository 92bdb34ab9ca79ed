using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Bindery.Server.Tests.Nodes;

/// <summary>
/// A real Bindery server process (the built Bindery.Server.dll, as an operator runs it) on 127.0.0.1 and a port of
/// its own, in test mode (movable clock over the wall clock), on a given database. Killed with SIGKILL on demand.
/// </summary>
public sealed class ServerNode : IAsyncDisposable
{
    public const string AdminToken = "node-admin";

    private readonly Process process;
    private readonly StringBuilder output = new();

    private ServerNode(Process process, int port, string name)
    {
        this.process = process;
        Port = port;
        Name = name;
        Http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public int Port { get; }

    public string Name { get; }

    /// <summary>A client without credentials; each request carries its own token (see <see cref="Send"/>).</summary>
    public HttpClient Http { get; }

    public bool HasExited => process.HasExited;

    /// <summary>What the process wrote (for a failing test's message).</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Starts a node and waits (bounded) until it answers /health/live.</summary>
    public static async Task<ServerNode> Start(string name, TestStore store, int? port = null, string sweepInterval = "00:00:00.200")
    {
        var p = port ?? FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "Bindery.Server.dll");
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
        var info = new ProcessStartInfo(host)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(dll);
        info.Environment["urls"] = $"http://127.0.0.1:{p}";
        info.Environment["Bindery__Mode"] = "Test";
        info.Environment["Bindery__AdminToken"] = AdminToken;
        info.Environment["Bindery__SweepInterval"] = sweepInterval;
        info.Environment["Bindery__EvidencePath"] = store.EvidencePath;
        info.Environment["Bindery__Database__Provider"] = store.Provider;
        info.Environment["Bindery__Database__ConnectionString"] = store.ConnectionString;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var node = new ServerNode(process, p, name);
        process.OutputDataReceived += (_, e) => node.Append(e.Data);
        process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var i = 0; i < 240; i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"node {name} exited with {process.ExitCode}:\n{node.Output}");
            }
            try
            {
                using var r = await node.Http.GetAsync("/health/live");
                if (r.StatusCode == HttpStatusCode.OK)
                {
                    return node;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(250);
        }
        await node.DisposeAsync();
        throw new TimeoutException($"node {name} did not answer /health/live within 60 s:\n{node.Output}");
    }

    /// <summary>One request as the holder of <paramref name="token"/> (and from <paramref name="country"/>, TS-E4).</summary>
    public Task<HttpResponseMessage> Send(HttpMethod method, string url, string token, object? body = null, string? country = "GB")
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (country is not null)
        {
            request.Headers.Add("X-Client-Country", country);
        }
        if (body is not null || method == HttpMethod.Post)
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(body ?? new { });
        }
        return Http.SendAsync(request);
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush; whatever was not durable is lost.</summary>
    public async Task Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Kill();
        Http.Dispose();
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            if (output.Length < 200_000)
            {
                output.AppendLine(line);
            }
        }
    }
}
