using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Rlpt.Demo;
using Rlpt.Tests.Cli;
using Rlpt.Tests.Training;
using Rlpt.Training.Runs;

namespace Rlpt.Tests.Reliability;

/// <summary>
/// Crash safety: `rlpt pretrain`, `rlpt sft`, `rlpt train` (GRPO) and `rlpt demo` are killed with SIGKILL at seeded
/// random instants (during start-up, steps, checkpoint writes and metrics appends alike), resumed (or, for the demo,
/// re-run) after each kill, and must end with the same weights, bit for bit, and the same logged metrics (all but
/// timings) as an uninterrupted run. The first start of each is stopped by SIGTERM or Ctrl-C instead, once it has
/// logged a step: it must exit 143 / 130 with a checkpoint of the last step it logged. RLPT_FAULT_KILLS sets the
/// number of kills per command (default 3 in the suite; RELIABILITY.md gives the full-strength command).
/// </summary>
[Collection(HeavyProcesses.Name)]
public sealed class KillTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>Metrics that depend on the clock or the machine's load, not on the computation.</summary>
    private static bool IsTiming(string key) =>
        key.Contains("time", StringComparison.Ordinal) || key.Contains("per_second", StringComparison.Ordinal) || key.Contains("mfu", StringComparison.Ordinal)
        || key.Contains("seconds", StringComparison.Ordinal);

    /// <summary>Each trainer's command on the tiny corpus, long enough (a few seconds) for kills to land anywhere.</summary>
    private static string[] Command(string trainer, string run, bool resume)
    {
        string[] arguments = trainer switch
        {
            "pretrain" => ["pretrain", "--data", "ds", "--preset", "tiny", "--batch-size", "2", "--sequence-length", "32", "--max-steps", "300", "--save-every", "20",
                "--eval-every", "50", "--eval-batches", "1"],
            "sft" => ["sft", "--model", "base/model", "--data", "corpus", "--examples", "200", "--epochs", "1", "--batch-size", "2", "--max-length", "256", "--save-every", "10"],
            _ => ["train", "--model", "base/model", "--data", "corpus", "--num-generations", "2", "--prompts-per-step", "2", "--max-completion-length", "8", "--context-tokens", "64",
                "--max-steps", "150", "--save-every", "5", "--learning-rate", "1e-4"],
        };
        return [.. arguments, "--save-total-limit", "2", "--out", run, "-q", .. resume ? ["--resume"] : Array.Empty<string>()];
    }

    private static int Kills(int suiteDefault) => int.TryParse(Environment.GetEnvironmentVariable("RLPT_FAULT_KILLS"), CultureInfo.InvariantCulture, out int n) ? n : suiteDefault;

    [Theory]
    [InlineData("pretrain", "INT")]
    [InlineData("sft", "TERM")]
    [InlineData("train", "INT")]
    public async Task ATrainerKilledAtRandomInstantsAndResumedEqualsAnUninterruptedRun(string trainer, string signal)
    {
        int kills = Kills(3);
        using var dir = new TestDirectory();
        TinyCorpus.Build(dir.File("ds")).Data.Dispose();
        if (trainer != "pretrain")
        {
            // The RLPT tasks of sft and train need documents segmented into sentences: the arithmetic corpus has them.
            var corpus = CliRunner.Run(dir.Path, "corpus", "import", "--arithmetic", "300", "--out", "corpus", "-q");
            Assert.True(corpus.ExitCode == 0, corpus.Stderr);
            var basis = CliRunner.Run(dir.Path, "pretrain", "--data", "corpus", "--preset", "tiny", "--batch-size", "2", "--sequence-length", "32", "--max-steps", "5", "--eval-every", "0", "--out", "base", "-q");
            Assert.True(basis.ExitCode == 0, basis.Stderr);
        }
        var reference = CliRunner.Run(dir.Path, Command(trainer, "reference", resume: false));
        Assert.True(reference.ExitCode == 0, reference.Stderr);

        var random = new Random(20261201);
        int killed = 0, attempts = 0, runs = 0;
        // Runs are repeated until the kills are spent: each run is stopped until it completes, then compared.
        while (killed < kills)
        {
            string run = $"killed{runs++}";
            int starts = 0;
            while (true)
            {
                bool resume = RunCheckpoints.Latest(dir.File(run)) is not null; // a kill mid-way through the first save leaves only a half-written folder
                if (!resume && Directory.Exists(dir.File(run))) Directory.Delete(dir.File(run), recursive: true); // killed before its first checkpoint: start over
                using var process = Start(dir.Path, Command(trainer, run, resume));
                attempts++;
                starts++;
                if (runs == 1 && starts == 1)
                {
                    await StopBySignal(process, signal, dir.File($"{run}/metrics.jsonl"));
                    AssertCheckpointAtLastLoggedStep(dir.File(run));
                    continue;
                }
                if (await KillAtRandom(process, killed < kills, random, 600, 3400)) killed++;
                if (process.Process.ExitCode == 0) break;
                Assert.True(starts < 3 * kills + 20, $"run {run} never finished: {starts} starts");
            }
            AssertSameRun(dir.File("reference"), dir.File(run));
            Assert.Empty(Directory.EnumerateDirectories(dir.File($"{run}/checkpoints"), ".tmp-*")); // half-written folders of killed saves are cleared
            Directory.Delete(dir.File(run), recursive: true);
        }
        output.WriteLine($"{trainer}: one SIGTERM/Ctrl-C stop, {killed} kills over {runs} runs in {attempts} attempts: every run ended with the reference's weights and metrics");
    }

    /// <summary>
    /// The quick demo with a fixed control budget (its default, the RL stage's time, differs from run to run): killed at
    /// random instants over its whole length and re-run each time, its every stage must equal an uninterrupted demo's.
    /// </summary>
    [Fact]
    public async Task TheDemoKilledAtRandomInstantsAndRerunEqualsAnUninterruptedDemo()
    {
        int kills = Kills(3);
        using var dir = new TestDirectory();
        var options = DemoOptions.Quick with { ControlSteps = 10, Grpo = DemoOptions.Quick.Grpo with { SaveEvery = 1, LogCompletionsEvery = 1 } };
        File.WriteAllText(dir.File("demo.json"), JsonSerializer.Serialize(options));
        string[] Demo(string run) => ["demo", "--config", "demo.json", "--out", run, "-q"];
        var clock = Stopwatch.StartNew();
        var reference = CliRunner.Run(dir.Path, Demo("reference"));
        Assert.True(reference.ExitCode == 0, reference.Stderr);
        int length = (int)clock.ElapsedMilliseconds;

        var random = new Random(20261202);
        int killed = 0, attempts = 0, runs = 0;
        while (killed < kills)
        {
            string run = $"killed{runs++}";
            int starts = 0;
            while (true)
            {
                using var process = Start(dir.Path, Demo(run));
                attempts++;
                starts++;
                if (runs == 1 && starts == 1)
                {
                    await StopBySignal(process, "TERM", dir.File($"{run}/pretrain/metrics.jsonl"));
                    AssertCheckpointAtLastLoggedStep(dir.File($"{run}/pretrain"));
                    continue;
                }
                // Re-runs skip the finished stages, so kills over the reference's length land in every stage in turn.
                if (await KillAtRandom(process, killed < kills, random, 1000, length)) killed++;
                if (process.Process.ExitCode == 0) break;
                Assert.True(starts < 3 * kills + 20, $"demo {run} never finished: {starts} starts");
            }
            foreach (var stage in new[] { "pretrain", "sft", "rlpt", "control" })
                AssertSameRun(dir.File($"reference/{stage}"), dir.File($"{run}/{stage}"));
            Assert.Equal(File.ReadAllLines(dir.File("reference/rlpt/completions.jsonl")), File.ReadAllLines(dir.File($"{run}/rlpt/completions.jsonl")));
            foreach (var name in new[] { "cold-start", "rlpt", "control" })
                Assert.Equal(WithoutTimings(dir.File($"reference/eval/{name}/eval.json")), WithoutTimings(dir.File($"{run}/eval/{name}/eval.json")));
            Assert.Equal(File.ReadAllText(dir.File("reference/samples.jsonl")), File.ReadAllText(dir.File($"{run}/samples.jsonl")));
            Directory.Delete(dir.File(run), recursive: true);
        }
        output.WriteLine($"demo ({length / 1000.0:F0} s uninterrupted): one SIGTERM stop, {killed} kills over {runs} runs in {attempts} attempts: every stage equalled the reference's");
    }

    /// <summary>A started rlpt process, its stderr read as it goes (to report a failure).</summary>
    private sealed class Launched(Process process, Task<string> stderr) : IDisposable
    {
        public Process Process => process;
        public Task<string> Stderr => stderr;
        public void Dispose() => process.Dispose();
    }

    private static Launched Start(string directory, string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Rlpt.Cli.dll") }.Concat(arguments)) info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        _ = process.StandardOutput.ReadToEndAsync();
        return new Launched(process, process.StandardError.ReadToEndAsync());
    }

    /// <summary>SIGKILLs the process after a random delay (when <paramref name="kill"/>), then waits for it; true when it was killed.</summary>
    private static async Task<bool> KillAtRandom(Launched launched, bool kill, Random random, int minimumMs, int maximumMs)
    {
        var process = launched.Process;
        bool killed = false;
        if (kill)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(minimumMs + random.Next(Math.Max(1, maximumMs - minimumMs))));
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true); // SIGKILL: no handler runs
                killed = true;
            }
        }
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5))) await process.WaitForExitAsync(timeout.Token);
        Assert.True(killed || process.ExitCode == 0, $"a resumed run failed (exit {process.ExitCode}): {await launched.Stderr}");
        return killed;
    }

    /// <summary>Sends SIGTERM or SIGINT once <paramref name="metrics"/> holds a step; the process must stop with 143 / 130.</summary>
    private static Task StopBySignal(Launched launched, string signal, string metrics) =>
        SignalStop.AfterSteps(launched.Process, launched.Stderr, signal, metrics, steps: 1, TimeSpan.FromMinutes(3));

    /// <summary>A signal's stop saves the step it stopped after, so nothing logged is lost.</summary>
    private static void AssertCheckpointAtLastLoggedStep(string run)
    {
        int last = JsonDocument.Parse(File.ReadAllLines(Path.Combine(run, "metrics.jsonl"))[^1]).RootElement.GetProperty("step").GetInt32();
        Assert.EndsWith($"step-{last:D7}", RunCheckpoints.Latest(run));
    }

    private static void AssertSameRun(string reference, string run)
    {
        Assert.Equal(File.ReadAllBytes(Path.Combine(reference, "model/model.safetensors")), File.ReadAllBytes(Path.Combine(run, "model/model.safetensors")));
        Assert.Equal(Metrics(reference), Metrics(run));
    }

    private static string[] Metrics(string run) => File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(line =>
        string.Join(",", JsonDocument.Parse(line).RootElement.EnumerateObject().Where(p => !IsTiming(p.Name)).Select(p => $"{p.Name}={p.Value}"))).ToArray();

    /// <summary>An evaluation's JSON with its timing fields left out, at any depth.</summary>
    private static string WithoutTimings(string path)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        void Strip(System.Text.Json.Nodes.JsonNode? n)
        {
            if (n is System.Text.Json.Nodes.JsonObject o)
            {
                foreach (var key in o.Select(p => p.Key).Where(IsTiming).ToArray()) o.Remove(key);
                foreach (var (_, child) in o) Strip(child);
            }
            else if (n is System.Text.Json.Nodes.JsonArray a) foreach (var child in a) Strip(child);
        }
        Strip(node);
        return node.ToJsonString();
    }
}
