using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Rlpt.Tests.Serving;

/// <summary>A real <c>rlpt serve</c> process on a free loopback port, killed on dispose.</summary>
internal sealed partial class ServeProcess : IDisposable
{
    private readonly Process process;
    private readonly System.Text.StringBuilder stderr = new();

    private ServeProcess(Process process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
        _ = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
                lock (stderr) stderr.AppendLine(line);
        });
    }

    /// <summary>The API base, e.g. http://127.0.0.1:40123/v1.</summary>
    public Uri BaseAddress { get; }

    public bool HasExited => process.HasExited;

    /// <summary>The server's resident memory now, from /proc (Linux).</summary>
    public long ResidentBytes
    {
        get
        {
            var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
    }

    /// <summary>What the server has written on stderr so far.</summary>
    public string Stderr
    {
        get { lock (stderr) return stderr.ToString(); }
    }

    public static async Task<ServeProcess> StartAsync(string model, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Rlpt.Cli.dll"), "serve", "--model", model, "--port", "0", "--model-name", "tiny" }.Concat(arguments))
            info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is null)
                throw new InvalidOperationException($"rlpt serve exited ({(process.WaitForExit(5000) ? process.ExitCode : -1)}): {await process.StandardError.ReadToEndAsync()}");
            if (Served().Match(line) is { Success: true } match)
            {
                // Drain the rest so the server never blocks on a full pipe.
                _ = process.StandardOutput.ReadToEndAsync();
                return new ServeProcess(process, new Uri(match.Groups[1].Value));
            }
        }
    }

    /// <summary>SIGKILL: the replica vanishes mid-request, as a crashed machine would.</summary>
    public void Kill() => process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        if (!process.HasExited) Kill();
        process.WaitForExit(10_000);
        process.Dispose();
    }

    [GeneratedRegex(@"at (http://\S+/v1)")]
    private static partial Regex Served();
}
