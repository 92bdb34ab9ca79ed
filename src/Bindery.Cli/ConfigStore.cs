using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bindery.Cli;

/// <summary>What <c>bindery login</c> remembers.</summary>
public sealed record CliConfig(
    [property: JsonPropertyName("server")] string Server,
    [property: JsonPropertyName("token")] string Token);

/// <summary>
/// The config file <c>config.json</c> in one directory (by default <c>$XDG_CONFIG_HOME/bindery</c> or
/// <c>~/.config/bindery</c>). It holds a bearer token, so on Unix the file is created with mode 600 and the
/// directory with mode 700: it is never readable by others, not even for an instant.
/// </summary>
public sealed class ConfigStore(string directory)
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public string Directory { get; } = directory;

    public string FilePath => Path.Combine(Directory, "config.json");

    /// <summary>$XDG_CONFIG_HOME/bindery, else ~/.config/bindery (on Windows %APPDATA%\bindery).</summary>
    public static string DefaultDirectory(Func<string, string?> environment)
    {
        var xdg = environment("XDG_CONFIG_HOME");
        if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg))
        {
            return Path.Combine(xdg, "bindery");
        }
        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "bindery");
        }
        var home = environment("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".config", "bindery");
    }

    /// <summary>The stored config, or null when there is none.</summary>
    /// <exception cref="CliUsageException">The file exists but is not a config written by <c>login</c>.</exception>
    public CliConfig? Load()
    {
        if (!File.Exists(FilePath))
        {
            return null;
        }
        try
        {
            var config = JsonSerializer.Deserialize<CliConfig>(File.ReadAllText(FilePath), Options);
            return config is { Server.Length: > 0, Token.Length: > 0 } ? config : throw new JsonException("server or token missing");
        }
        catch (JsonException e)
        {
            throw new CliUsageException($"The config file {FilePath} is not valid ({e.Message}); run `bindery login` again.");
        }
    }

    public void Save(CliConfig config)
    {
        var json = JsonSerializer.Serialize(config, Options);
        if (OperatingSystem.IsWindows())
        {
            global::System.IO.Directory.CreateDirectory(Directory);
            File.WriteAllText(FilePath, json);
            return;
        }
        global::System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // Written beside the target with mode 600 from its creation, then renamed over it: readers see the old or
        // the new file, never a half-written one, and the token is never in a file others can read.
        var temp = FilePath + ".tmp";
        File.Delete(temp);
        using (var stream = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(json);
        }
        File.Move(temp, FilePath, overwrite: true);
        File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
