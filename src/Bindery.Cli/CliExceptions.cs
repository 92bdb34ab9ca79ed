namespace Bindery.Cli;

/// <summary>The command cannot run as given (exit 2): the message says what to change.</summary>
public sealed class CliUsageException(string message) : Exception(message);
