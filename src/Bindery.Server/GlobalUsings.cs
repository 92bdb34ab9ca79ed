// The server's own vocabulary: every layer speaks in results of the core.
global using Bindery.Server.Core;
