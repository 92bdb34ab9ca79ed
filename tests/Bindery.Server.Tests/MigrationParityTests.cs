using Bindery.Persistence;

namespace Bindery.Server.Tests;

/// <summary>
/// Each provider has its own plain-SQL migrations (ADR 0002, 0011). The PostgreSQL folder mirrors the SQLite one
/// script for script, same file names, so a schema change made for one provider and not the other fails here.
/// </summary>
public sealed class MigrationParityTests
{
    private static string[] Names(string provider) =>
        SchemaMigrator.Scripts(provider).Select(n => n[$"Bindery.Persistence.Migrations.{provider}.".Length..]).ToArray();

    [Fact]
    public void Every_SQLite_migration_has_its_PostgreSQL_twin_of_the_same_name()
    {
        Assert.NotEmpty(Names("Sqlite"));
        Assert.Equal(Names("Sqlite"), Names("Postgres"));
    }
}
