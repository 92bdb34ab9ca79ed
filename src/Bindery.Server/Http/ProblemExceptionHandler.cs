using Microsoft.AspNetCore.Diagnostics;

namespace Bindery.Server.Http;

/// <summary>
/// The one place unexpected exceptions become answers: malformed bodies are the caller's 4xx, the rest a 500
/// problem with nothing changed (the write transaction was never committed).
/// </summary>
public sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var lang = Lang.Of(http);
        ProblemBody problem;
        if (exception is BadHttpRequestException bad)
        {
            var code = bad.StatusCode switch
            {
                StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
                StatusCodes.Status413PayloadTooLarge => "request_too_large",
                StatusCodes.Status414UriTooLong => "uri_too_long",
                StatusCodes.Status431RequestHeaderFieldsTooLarge => "request_headers_too_large",
                StatusCodes.Status408RequestTimeout => "request_timeout",
                _ => "malformed_request",
            };
            var detail = bad.InnerException is System.Text.Json.JsonException json
                ? $"{bad.Message} {json.Message}"
                : bad.Message;
            problem = Problems.Make(bad.StatusCode, code, lang, detail);
        }
        else if (exception is OperationCanceledException && http.RequestAborted.IsCancellationRequested)
        {
            return true;
        }
        else
        {
            log.LogError(exception, "unhandled exception on {Method} {Path}", http.Request.Method, http.Request.Path);
            problem = Problems.Make(500, "internal_error", lang);
        }
        await Problems.Write(http, problem);
        return true;
    }
}
