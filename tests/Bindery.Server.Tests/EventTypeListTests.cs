using System.Reflection;
using System.Text.RegularExpressions;
using Bindery.Server.Core;

namespace Bindery.Server.Tests;

/// <summary>Every event type is declared once, in <see cref="EventTypes"/>, and every emit names one from there.</summary>
public sealed partial class EventTypeListTests
{
    private static readonly string[] Sources = Directory
        .EnumerateFiles(Path.Combine(RepoRoot(), "src"), "*.cs", SearchOption.AllDirectories)
        .Where(f => !f.EndsWith("EventTypes.cs", StringComparison.Ordinal))
        .ToArray();

    [Fact]
    public void No_emit_names_its_event_type_with_a_string_literal()
    {
        var emits = Sources.SelectMany(f => Emit().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Arg: m.Groups["arg"].Value))).ToArray();
        Assert.True(emits.Length > 40, $"only {emits.Length} emits found: the scan is broken");
        Assert.Empty(emits.Where(e => e.Arg.StartsWith('"') || e.Arg.StartsWith("$\"", StringComparison.Ordinal)).Select(e => e.File + ": " + e.Arg));
        // Nor a literal that merely looks like an event type anywhere an event is chosen (evt = "x.y", Announce(…, "x.y")).
        var literals = Sources.SelectMany(f => File.ReadAllLines(f)
            .Where(l => l.Contains("Emit(", StringComparison.Ordinal) || l.Contains("Announce(", StringComparison.Ordinal) || EventVariable().IsMatch(l))
            .SelectMany(l => TypeLiteral().Matches(l).Select(m => Path.GetFileName(f) + ": " + m.Value)));
        Assert.Empty(literals);
    }

    [Fact]
    public void The_list_has_every_declared_type_once_and_each_is_emitted()
    {
        var declared = typeof(EventTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (Name: f.Name, Value: (string)f.GetRawConstantValue()!)).ToArray();
        Assert.Equal(EventTypes.All.Count, EventTypes.All.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(declared.Select(d => d.Value).Order(StringComparer.Ordinal), EventTypes.All.Order(StringComparer.Ordinal));
        Assert.All(EventTypes.All, t => Assert.Matches(@"^[a-z_]+\.[a-z_]+$", t));
        var text = string.Join("\n", Sources.Select(File.ReadAllText));
        Assert.Empty(declared.Where(d => !text.Contains("EventTypes." + d.Name, StringComparison.Ordinal)).Select(d => d.Name));
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Bindery.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Bindery.sln not found");
    }

    [GeneratedRegex(@"\.Emit\(\s*(?<arg>[^,]+),")]
    private static partial Regex Emit();

    [GeneratedRegex(@"\b(?:evt|action)\s*=\s*")]
    private static partial Regex EventVariable();

    [GeneratedRegex(@"""[a-z_]+\.[a-z_]+""")]
    private static partial Regex TypeLiteral();
}
