using System.Diagnostics;

namespace Rlpt.Tests.Cli;

/// <summary>Runs the real rlpt executable (built next to the tests) as a child process.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string workingDirectory, params string[] arguments) => RunWithInput(workingDirectory, null, arguments);

    /// <summary>Any program (e.g. mount), waited for.</summary>
    public static Result RunProcess(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs rlpt with <paramref name="stdin"/> piped to it (then closed), or with the parent's stdin when null.</summary>
    public static Result RunWithInput(string workingDirectory, string? stdin, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Rlpt.Cli.dll"));
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"rlpt {string.Join(' ', arguments)} did not finish in 5 minutes.");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
