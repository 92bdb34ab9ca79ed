using Bindery.Domain;

namespace Bindery.Server.Infrastructure;

/// <summary>The policies loaded at start from the policies folder. A broken file stops the server (see Program).</summary>
public sealed class PolicyCatalog
{
    private readonly Dictionary<string, (Policy Policy, string Json)> byId;

    private PolicyCatalog(Dictionary<string, (Policy, string)> policies) => byId = policies;

    public IEnumerable<Policy> All => byId.Values.Select(v => v.Policy).OrderBy(p => p.Id, StringComparer.Ordinal);

    public static PolicyCatalog LoadFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new PolicyException(folder, ["the policies folder does not exist (set Bindery:PoliciesPath)"]);
        }
        var policies = new Dictionary<string, (Policy, string)>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var json = File.ReadAllText(file);
            var policy = PolicyParser.Parse(json, file);
            var expected = Path.GetFileNameWithoutExtension(file);
            if (!string.Equals(policy.Id, expected, StringComparison.Ordinal))
            {
                throw new PolicyException(file, [$"id: is '{policy.Id}' but the file is named '{expected}.json'; they must match"]);
            }
            policies[policy.Id] = (policy, json);
        }
        if (policies.Count == 0)
        {
            throw new PolicyException(folder, ["no policy files (*.json) found"]);
        }
        return new PolicyCatalog(policies);
    }

    public bool TryGet(string id, out Policy policy)
    {
        if (byId.TryGetValue(id, out var entry))
        {
            policy = entry.Policy;
            return true;
        }
        policy = null!;
        return false;
    }

    public Policy Get(string id) => byId[id].Policy;

    /// <summary>The file as written, comments included, for GET /policies/{id}?format=source.</summary>
    public string Source(string id) => byId[id].Json;
}
