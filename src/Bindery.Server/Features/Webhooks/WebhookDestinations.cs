using System.Net;
using System.Net.Sockets;
using Bindery.Server.Infrastructure;
using Microsoft.Extensions.Options;

namespace Bindery.Server.Features.Webhooks;

/// <summary>Resolves webhook host names. Tests replace it, so that no test asks a real DNS server.</summary>
public class WebhookHostResolver
{
    public virtual Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) => Dns.GetHostAddressesAsync(host, ct);
}

/// <summary>A webhook destination is refused: an internal address or a metadata host, at subscription or at connect time.</summary>
public sealed class WebhookDestinationForbiddenException : Exception
{
    public WebhookDestinationForbiddenException()
    {
    }

    public WebhookDestinationForbiddenException(string message) : base(message)
    {
    }

    public WebhookDestinationForbiddenException(string message, Exception inner) : base(message, inner)
    {
    }
}

/// <summary>What the subscription-time check found: null message when the destination may be subscribed.</summary>
public sealed record DestinationCheck(string? Code, string? Message)
{
    public static readonly DestinationCheck Allowed = new(null, null);

    public bool IsAllowed => Message is null;
}

/// <summary>
/// Webhook SSRF guard (ADR 0012, README "Webhooks"): a destination must be a public address. Refused: loopback,
/// private, link-local, unspecified, CGNAT, benchmarking, multicast, broadcast and reserved ranges, IPv6 twins and
/// IPv4-mapped, -compatible, NAT64 and 6to4 forms of them, and cloud metadata host names. Checked when a URL is
/// subscribed (every address its name resolves to) and again when a delivery connects (DNS may have changed since):
/// <see cref="ConnectAsync"/> is the webhook HttpClient's connect callback and only opens a socket to an allowed
/// address. <see cref="WebhookOptions.AllowedNetworks"/> lets an operator allow ranges despite this (e.g. a receiver on
/// 127.0.0.1 in tests and the demo); metadata host names stay refused whatever it says.
/// </summary>
public sealed class WebhookDestinations(IOptions<WebhookOptions> options, WebhookHostResolver resolver)
{
    public const string ForbiddenCode = "webhook_destination_forbidden";
    public const string UnresolvableCode = "webhook_destination_unresolvable";

    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    private static readonly IPNetwork[] Internal =
    [
        IPNetwork.Parse("0.0.0.0/8"), // "this network", incl. the unspecified 0.0.0.0
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"), // shared address space (CGNAT); e.g. Alibaba Cloud's metadata 100.100.100.200
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), // link-local: the metadata services at 169.254.169.254
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"), // IETF protocol assignments
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"), // benchmarking
        IPNetwork.Parse("224.0.0.0/4"), // multicast
        IPNetwork.Parse("240.0.0.0/4"), // reserved, incl. the broadcast 255.255.255.255
        IPNetwork.Parse("::/96"), // unspecified ::, loopback ::1 and the deprecated IPv4-compatible forms
        IPNetwork.Parse("fe80::/10"), // link-local
        IPNetwork.Parse("fec0::/10"), // site-local (deprecated)
        IPNetwork.Parse("fc00::/7"), // unique local, e.g. AWS's metadata fd00:ec2::254
        IPNetwork.Parse("ff00::/8"), // multicast
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>Host names of cloud metadata services, refused by name before any lookup.</summary>
    private static readonly HashSet<string> MetadataHosts = new(StringComparer.OrdinalIgnoreCase)
    {
        "metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal",
        "metadata.azure.internal", "metadata.tencentyun.com", "metadata.platformequinix.com",
    };

    private readonly IPNetwork[] allowed = options.Value.AllowedNetworks
        .Select(n => WebhookOptions.TryParseNetwork(n, out var network) ? network : throw new ArgumentException($"not a CIDR range: {n}", nameof(options)))
        .ToArray();

    /// <summary>True for an address in a refused range, looking through IPv4-mapped, NAT64 and 6to4 IPv6 forms.</summary>
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return IsInternal(address.MapToIPv4());
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && (Nat64.Contains(address) || SixToFour.Contains(address)))
        {
            var bytes = address.GetAddressBytes();
            var embedded = SixToFour.Contains(address) ? bytes.AsSpan(2, 4) : bytes.AsSpan(12, 4);
            return IsInternal(new IPAddress(embedded));
        }
        return Internal.Any(n => n.Contains(address));
    }

    /// <summary>A metadata service's host name (case and a trailing dot ignored).</summary>
    public static bool IsMetadataHost(string host) => MetadataHosts.Contains(host.TrimEnd('.'));

    /// <summary>Public, or inside an operator's <see cref="WebhookOptions.AllowedNetworks"/>.</summary>
    public bool IsAllowed(IPAddress address)
    {
        if (!IsInternal(address))
        {
            return true;
        }
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return allowed.Any(n => n.Contains(address) || n.Contains(plain));
    }

    /// <summary>Subscription time: the URL's host, and every address a host name resolves to, must be allowed.</summary>
    public async Task<DestinationCheck> CheckAsync(Uri url, CancellationToken ct)
    {
        var host = HostOf(url.IdnHost);
        if (IsMetadataHost(host))
        {
            return new(ForbiddenCode, $"must not name a cloud metadata service ({host})");
        }
        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(host, ct);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return new(UnresolvableCode, $"the host name {host} does not resolve; subscribe a name that resolves to public addresses");
        }
        if (addresses.Length == 0)
        {
            return new(UnresolvableCode, $"the host name {host} does not resolve; subscribe a name that resolves to public addresses");
        }
        var refused = addresses.FirstOrDefault(a => !IsAllowed(a));
        return refused is null ? DestinationCheck.Allowed : new(ForbiddenCode, Describe(host, refused));
    }

    /// <summary>
    /// Connect time: resolves <paramref name="host"/> and answers its addresses if every one is allowed; otherwise throws
    /// <see cref="WebhookDestinationForbiddenException"/> (a name answering both public and internal addresses is refused,
    /// as at subscription time).
    /// </summary>
    public async Task<IPAddress[]> AllowedAddressesAsync(string host, CancellationToken ct)
    {
        host = HostOf(host);
        if (IsMetadataHost(host))
        {
            throw new WebhookDestinationForbiddenException($"destination refused: {host} is a cloud metadata service");
        }
        var addresses = await ResolveAsync(host, ct);
        if (addresses.Length == 0)
        {
            throw new WebhookDestinationForbiddenException($"destination refused: {host} does not resolve");
        }
        if (addresses.FirstOrDefault(a => !IsAllowed(a)) is { } refused)
        {
            throw new WebhookDestinationForbiddenException("destination refused: " + Describe(host, refused));
        }
        return addresses;
    }

    /// <summary>The webhook HttpClient's <see cref="SocketsHttpHandler.ConnectCallback"/>: a socket to an allowed address only.</summary>
    public async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, CancellationToken ct)
    {
        var addresses = await AllowedAddressesAsync(endpoint.Host, ct);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }

    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ResolveTimeout);
        return await resolver.ResolveAsync(host, timeout.Token);
    }

    private static string HostOf(string host) => host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;

    private static string Describe(string host, IPAddress refused) =>
        IPAddress.TryParse(host, out _)
            ? $"must not point to a loopback, private, link-local, shared (CGNAT), multicast or other internal address ({refused})"
            : $"the host name {host} resolves to {refused}, an internal address; webhooks go to public addresses only";
}
