using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Bindery.Bench;

/// <summary>Loads shops and accounts through the bulk API as admin (1000 per request), every pair able to pass every rule.</summary>
public static class Dataset
{
    public static string ShopId(long i) => "bs-" + i.ToString("D7", CultureInfo.InvariantCulture);

    public static string AccountId(long i) => "ba-" + i.ToString("D7", CultureInfo.InvariantCulture);

    /// <summary>Loads <paramref name="accounts"/> accounts and <paramref name="shops"/> shops, two requests in flight; stops at the budget.</summary>
    public static async Task<(long Shops, long Accounts, double Seconds)> Load(BinderyServer server, long shops, long accounts, TimeSpan budget)
    {
        var sw = Stopwatch.StartNew();
        var loadedShops = await Kind(server, "/api/v1/bulk/shops", shops, ShopJson, budget, sw);
        var loadedAccounts = await Kind(server, "/api/v1/bulk/accounts", accounts, AccountJson, budget, sw);
        return (loadedShops, loadedAccounts, sw.Elapsed.TotalSeconds);
    }

    private static async Task<long> Kind(BinderyServer server, string path, long count, Func<long, string> item, TimeSpan budget, Stopwatch sw)
    {
        const int batch = 1000;
        long nextBatch = 0, done = 0;
        var batches = (count + batch - 1) / batch;
        async Task Worker()
        {
            while (true)
            {
                var b = Interlocked.Increment(ref nextBatch) - 1;
                if (b >= batches || sw.Elapsed > budget)
                {
                    return;
                }
                var sb = new StringBuilder("{\"items\":[");
                var from = b * batch;
                var to = Math.Min(count, from + batch);
                for (var i = from; i < to; i++)
                {
                    if (i > from)
                    {
                        sb.Append(',');
                    }
                    sb.Append(item(i));
                }
                sb.Append("]}");
                var (status, body) = await server.Post(path, sb.ToString());
                if (status != 200 || !body.Contains("\"failed\":0", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"bulk load {path} answered {status.ToString(CultureInfo.InvariantCulture)}: {body[..Math.Min(body.Length, 400)]}");
                }
                Interlocked.Add(ref done, to - from);
            }
        }
        await Task.WhenAll(Worker(), Worker());
        return done;
    }

    private static string ShopJson(long i) =>
        $"{{\"id\":\"{ShopId(i)}\",\"name\":\"Bench shop {i.ToString(CultureInfo.InvariantCulture)}\",\"policyId\":\"tiktok-shop\",\"country\":\"GB\",\"merchantType\":\"invited\",\"kind\":\"business\",\"status\":\"normal\",\"ecommercePermission\":true}}";

    private static string AccountJson(long i) =>
        $"{{\"id\":\"{AccountId(i)}\",\"handle\":\"bh.{i.ToString("D7", CultureInfo.InvariantCulture)}\",\"origin\":\"tiktok\",\"registrationCountry\":\"GB\",\"birthDate\":\"1990-01-01\",\"status\":\"normal\"}}";
}
