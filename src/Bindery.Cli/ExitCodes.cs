namespace Bindery.Cli;

/// <summary>The documented exit codes of <c>bindery</c> (README, "Command line").</summary>
public static class ExitCodes
{
    /// <summary>Done; for <c>check</c>: allowed.</summary>
    public const int Ok = 0;

    /// <summary>Refused by a rule (409 rule_denied, a refused <c>check</c>, refused or failed import rows, an invalid policy file).</summary>
    public const int Refused = 1;

    /// <summary>
    /// Usage: a bad command line, no server or token configured, an input file that cannot be read or parsed, an output
    /// file that cannot be written, or a 400 answer (the request itself was wrong).
    /// </summary>
    public const int Usage = 2;

    /// <summary>Server or network: unreachable, timed out, 5xx, or any other problem answer (401, 403, 404, …).</summary>
    public const int Server = 3;

    /// <summary>The exit code for a non-2xx answer of the API with this status and problem <c>code</c>.</summary>
    public static int ForProblem(int status, string? code) => (status, code) switch
    {
        (409, "rule_denied") => Refused,
        (400, _) => Usage,
        _ => Server,
    };
}
