using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Rlpt.Tests.Cli;
using Rlpt.Tests.Training;

namespace Rlpt.Tests.Reliability;

/// <summary>
/// SIGTERM and Ctrl-C (SIGINT) stop every training command at a safe point with a checkpoint of the last step it
/// logged, it exits 143 / 130, and --resume goes on with every step logged once. KillTests checks pretrain, sft, train
/// and the demo the same way and also that the resumed run equals an uninterrupted one.
/// </summary>
// With the other process-heavy tests, alone: beside in-process tests a LibTorch child shares the 2 cores with theirs,
// and its resumed DPO run (then 500 steps) overran the 5-minute limit with one core busy.
[Collection(HeavyProcesses.Name)]
public sealed class SignalTests
{
    /// <summary>
    /// Makes the command's inputs in <paramref name="dir"/>; returns its arguments for a run of the given steps, and
    /// the run's own length where it has one (DPO's is its pairs').
    /// </summary>
    private static (Func<int, string[]> Arguments, int? Length) Prepare(string command, TestDirectory dir)
    {
        string[] run = ["--out", "run", "-q"];
        switch (command)
        {
            case "pretrain":
                TinyCorpus.Build(dir.File("ds")).Data.Dispose();
                return (steps => ["pretrain", "--data", "ds", "--preset", "tiny", "--batch-size", "2", "--sequence-length", "32", "--eval-every", "0", "--save-every", "100000",
                    "--max-steps", steps.ToString(CultureInfo.InvariantCulture), .. run], null);
            case "dpo":
                TinyCorpus.Build(dir.File("ds")).Data.Dispose();
                Succeeds(CliRunner.Run(dir.Path, "pretrain", "--data", "ds", "--preset", "tiny", "--batch-size", "2", "--sequence-length", "32", "--max-steps", "2", "--eval-every", "0", "--out", "base", "-q"));
                File.WriteAllLines(dir.File("pairs.jsonl"), Enumerable.Range(0, 200).Select(i =>
                    JsonSerializer.Serialize(new { prompt = $"the cat {i % 7}", chosen = " sat on the mat", rejected = " ran off" })));
                return (_ => ["dpo", "--model", "base/model", "--pairs", "pairs.jsonl", "--batch-size", "2", "--max-length", "32", "--save-every", "100000", .. run], 100);
            case "offline":
                Succeeds(CliRunner.Run(dir.Path, "offline", "collect", "--env", "CartPole-v1", "--online-steps", "600", "--transitions", "300", "--out", "cartpole", "-q"));
                return (steps => ["offline", "train", "--data", "cartpole/mixed.parquet", "--algorithm", "cql", "--batch-size", "16", "--hidden-size", "16", "--eval-every", "0",
                    "--save-every", "100000", "--max-steps", steps.ToString(CultureInfo.InvariantCulture), .. run], null);
            default:
                Succeeds(CliRunner.Run(dir.Path, "icrl", "data", "--env", "bandit_bernoulli", "--horizon", "12", "--contexts", "64", "--held-out-contexts", "16", "--out", "bandit", "-q"));
                return (steps => ["icrl", "train", "--data", "bandit", "--batch-size", "16", "--hidden-size", "16", "--num-hidden-layers", "1", "--eval-every", "0",
                    "--save-every", "100000", "--max-steps", steps.ToString(CultureInfo.InvariantCulture), .. run], null);
        }
    }

    private static void Succeeds(CliRunner.Result result) => Assert.True(result.ExitCode == 0, result.Stderr);

    [Theory]
    [InlineData("pretrain", "TERM")]
    [InlineData("pretrain", "INT")]
    [InlineData("dpo", "TERM")]
    [InlineData("offline", "INT")]
    [InlineData("icrl", "TERM")]
    public async Task ASignalStopsATrainingCommandAtASafePointAndResumeFinishesTheRun(string command, string signal)
    {
        using var dir = new TestDirectory();
        var (arguments, length) = Prepare(command, dir);
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = dir.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Rlpt.Cli.dll") }.Concat(arguments(100_000))) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync(); // drained so the process never blocks on a full pipe
        string metrics = dir.File("run/metrics.jsonl");
        await SignalStop.AfterSteps(process, stderr, signal, metrics, steps: 3, TimeSpan.FromMinutes(2));
        Assert.Contains(signal == "TERM" ? "SIGTERM: stopping" : "interrupt: stopping", await stderr);
        int[] Steps() => File.ReadAllLines(metrics).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt32()).ToArray();
        var steps = Steps();
        var checkpoint = Directory.GetDirectories(dir.File("run/checkpoints")).Select(Path.GetFileName).Single();
        Assert.Equal($"step-{steps[^1]:D7}", checkpoint); // saved at the step it stopped after

        int end = length ?? steps[^1] + 3;
        var resumed = CliRunner.Run(dir.Path, [.. arguments(end), "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal(Enumerable.Range(1, end), Steps()); // every step once
    }
}
