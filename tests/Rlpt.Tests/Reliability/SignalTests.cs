using System.Diagnostics;
using System.Text.Json;
using Rlpt.Tests.Cli;
using Rlpt.Tests.Training;

namespace Rlpt.Tests.Reliability;

/// <summary>SIGTERM and Ctrl-C (SIGINT) stop a training command at a safe point with a checkpoint, exit 143 / 130, and --resume goes on.</summary>
public sealed class SignalTests
{
    [Theory]
    [InlineData("TERM", 143, "SIGTERM: stopping")]
    [InlineData("INT", 130, "interrupt: stopping")]
    public async Task ASignalStopsPretrainingAtASafePointAndResumeFinishesTheRun(string signal, int exitCode, string notice)
    {
        using var dir = new TestDirectory();
        TinyCorpus.Build(dir.File("ds")).Data.Dispose();
        string[] common = ["pretrain", "--data", "ds", "--preset", "tiny", "--batch-size", "2", "--sequence-length", "32", "--eval-every", "0", "--save-every", "100000", "--out", "run", "-q"];
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = dir.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Rlpt.Cli.dll") }.Concat(common).Concat(["--max-steps", "100000"])) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        string metrics = dir.File("run/metrics.jsonl");
        var clock = Stopwatch.StartNew();
        while (!(File.Exists(metrics) && File.ReadAllLines(metrics).Length >= 3))
        {
            if (process.HasExited) Assert.Fail($"exited early ({process.ExitCode}): {await stderr}");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "no training steps within 2 minutes");
            await Task.Delay(100);
        }
        using (var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2))) await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == exitCode, $"exit {process.ExitCode}: {await stderr}{await stdout}");
        Assert.Contains(notice, await stderr);
        var steps = File.ReadAllLines(metrics).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt32()).ToArray();
        var checkpoint = Directory.GetDirectories(dir.File("run/checkpoints")).Select(Path.GetFileName).Single();
        Assert.Equal($"step-{steps[^1]:D7}", checkpoint); // saved at the step it stopped after

        var resumed = CliRunner.Run(dir.Path, [.. common, "--max-steps", (steps[^1] + 3).ToString(System.Globalization.CultureInfo.InvariantCulture), "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        var all = File.ReadAllLines(metrics).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt32()).ToArray();
        Assert.Equal(Enumerable.Range(1, steps[^1] + 3), all); // every step once
    }
}
