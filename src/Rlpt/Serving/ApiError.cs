using System.Text.Json.Nodes;

namespace Rlpt.Serving;

/// <summary>A request the server refuses, written as OpenAI's error object <c>{"error":{message,type,param,code}}</c>.</summary>
internal sealed class ApiError(int status, string message, string? param = null, string? code = null, string type = "invalid_request_error")
    : Exception(message)
{
    public int Status { get; } = status;

    public static ApiError BadRequest(string message, string? param = null, string? code = null) => new(400, message, param, code);

    public JsonObject ToJson() => new()
    {
        ["error"] = new JsonObject
        {
            ["message"] = Message,
            ["type"] = type,
            ["param"] = param,
            ["code"] = code,
        },
    };
}
