namespace Bindery.Server.Http;

/// <summary>
/// Before routing, runs of slashes in the request path collapse to one ("/api//v1" is "/api/v1"), so every spelling
/// of a path that Kestrel has already decoded (percent-encoded letters) and resolved (dot segments) selects the same
/// endpoint as its canonical form, and routing's case-insensitive match does the rest. Access, CSRF and rate limits
/// are then decided from the endpoint routing chose (<see cref="AccessGate"/>, <see cref="RateLimits"/>), never from
/// the path's text.
/// </summary>
public static class CanonicalPath
{
    public static IApplicationBuilder UseCanonicalPath(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            var path = http.Request.Path.Value;
            if (path is not null && path.Contains("//", StringComparison.Ordinal))
            {
                http.Request.Path = new PathString(Collapse(path));
            }
            return next(http);
        });

    /// <summary>The path with every run of '/' replaced by a single '/'.</summary>
    public static string Collapse(string path)
    {
        var chars = new System.Text.StringBuilder(path.Length);
        foreach (var c in path)
        {
            if (c != '/' || chars.Length == 0 || chars[^1] != '/')
            {
                chars.Append(c);
            }
        }
        return chars.ToString();
    }
}
