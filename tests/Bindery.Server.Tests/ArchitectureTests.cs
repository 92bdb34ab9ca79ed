using System.Reflection;
using NetArchTest.Rules;

namespace Bindery.Server.Tests;

/// <summary>
/// Dependencies inside the server point one way (ADR 0021): Domain ← core ← features ← HTTP edge and console.
/// Read from the compiled assemblies, so a reversed arrow fails here whatever the using lines say.
/// </summary>
public sealed class ArchitectureTests
{
    private const string Server = "Bindery.Server";
    private const string Core = Server + ".Core";
    private const string Features = Server + ".Features";
    private const string Infrastructure = Server + ".Infrastructure";
    private const string Http = Server + ".Http";
    private const string Api = Server + ".Api";
    private const string Pages = Server + ".Pages";

    private static readonly Assembly ServerAssembly = typeof(Core.Result).Assembly;
    private static readonly Assembly DomainAssembly = typeof(Domain.Rules).Assembly;

    [Fact]
    public void The_engine_knows_no_storage_no_server_and_no_web() =>
        Holds(Types.InAssembly(DomainAssembly).ShouldNot()
            .HaveDependencyOnAny(Server, "Bindery.Persistence", "Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "System.Net.Http").GetResult());

    [Fact]
    public void The_platform_layer_uses_only_the_engine_and_the_store() =>
        Holds(Types.InAssembly(ServerAssembly).That().ResideInNamespace(Infrastructure).ShouldNot()
            .HaveDependencyOnAny(Core, Features, Http, Api, Pages).GetResult());

    [Fact]
    public void The_core_knows_no_feature_and_no_transport() =>
        Holds(Types.InAssembly(ServerAssembly).That().ResideInNamespace(Core).ShouldNot()
            .HaveDependencyOnAny(Features, Http, Api, Pages, "Microsoft.AspNetCore").GetResult());

    [Fact]
    public void Features_know_neither_the_HTTP_edge_nor_the_console() =>
        Holds(Types.InAssembly(ServerAssembly).That().ResideInNamespace(Features).ShouldNot()
            .HaveDependencyOnAny(Http, Api, Pages).GetResult());

    [Fact]
    public void The_console_runs_queries_and_commands_never_endpoint_handlers() =>
        Holds(Types.InAssembly(ServerAssembly).That().ResideInNamespace(Pages).ShouldNot()
            .HaveDependencyOn(Api).GetResult());

    [Fact]
    public void Every_type_lives_in_a_layer()
    {
        string[] layers = [Core, Features, Infrastructure, Http, Api, Pages];
        // Each layer holds types (a renamed namespace would make every rule above hold vacuously).
        foreach (var layer in layers)
        {
            Assert.True(Types.InAssembly(ServerAssembly).That().ResideInNamespace(layer).GetTypes().Count() > 3, layer + " holds no types");
        }
        var stray = Types.InAssembly(ServerAssembly).GetTypes()
            .Where(t => t.Namespace is { } ns && ns.StartsWith(Server, StringComparison.Ordinal) && !t.Name.StartsWith('<')
                && !layers.Any(l => ns == l || ns.StartsWith(l + ".", StringComparison.Ordinal)))
            .Select(t => t.FullName)
            .ToList();
        Assert.True(stray.Count == 0, "types outside the layers: " + string.Join(", ", stray));
    }

    private static void Holds(TestResult result) =>
        Assert.True(result.IsSuccessful, "reversed dependencies: " + string.Join(", ", result.FailingTypeNames ?? []));
}
