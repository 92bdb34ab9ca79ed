using Microsoft.Data.Sqlite;

namespace Bindery.Server.Infrastructure;

/// <summary>Where files are: relative paths work from the repository root and from the build output.</summary>
public static class Paths
{
    public static string Policies(string configured)
    {
        if (Path.IsPathRooted(configured) || Directory.Exists(configured))
        {
            return Path.GetFullPath(configured);
        }
        var besideBinary = Path.Combine(AppContext.BaseDirectory, configured);
        return Directory.Exists(besideBinary) ? besideBinary : Path.GetFullPath(configured);
    }

    /// <summary>Creates the folder of the SQLite file if needed.</summary>
    public static string SqliteConnection(string connectionString)
    {
        var csb = new SqliteConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(csb.DataSource) && csb.DataSource != ":memory:" && csb.Mode != SqliteOpenMode.Memory)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(csb.DataSource));
            if (!string.IsNullOrEmpty(dir))
            {
                Directory.CreateDirectory(dir);
            }
        }
        return csb.ToString();
    }
}

/// <summary>Tests register one of these to drive the clock from a fake time source.</summary>
public sealed record ClockSource(TimeProvider Inner);
