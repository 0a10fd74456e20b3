namespace Rlpt.Interop.OpenAi;

/// <summary>The Bearer key of the OpenAI-compatible protocol: one environment variable for the server and its clients alike.</summary>
public static class ApiKey
{
    public const string EnvironmentVariable = "RLPT_API_KEY";

    /// <summary>$RLPT_API_KEY, or null when it is unset or empty.</summary>
    public static string? FromEnvironment() => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } key ? key : null;
}
