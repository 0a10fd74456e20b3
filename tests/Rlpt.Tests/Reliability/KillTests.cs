using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Rlpt.Tests.Cli;
using Rlpt.Tests.Training;

namespace Rlpt.Tests.Reliability;

/// <summary>
/// Crash safety: `rlpt pretrain` is killed with SIGKILL at seeded random instants (during start-up, steps, checkpoint
/// writes and metrics appends alike), resumed after each kill, and must end with the same weights, bit for bit, and the
/// same logged losses as an uninterrupted run. RLPT_FAULT_KILLS sets the number of kills (default 3 in the suite;
/// RELIABILITY.md gives the full-strength command).
/// </summary>
public sealed class KillTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly string[] Deterministic = ["step", "loss", "lr", "grad_norm", "epoch", "tokens", "val_loss", "val_perplexity"];

    [Fact]
    public async Task PretrainingKilledAtRandomInstantsAndResumedEqualsAnUninterruptedRun()
    {
        int kills = int.TryParse(Environment.GetEnvironmentVariable("RLPT_FAULT_KILLS"), CultureInfo.InvariantCulture, out int n) ? n : 3;
        using var dir = new TestDirectory();
        TinyCorpus.Build(dir.File("ds")).Data.Dispose();
        string[] Args(string run, bool resume) => ["pretrain", "--data", "ds", "--preset", "tiny", "--batch-size", "2", "--sequence-length", "32",
            "--max-steps", "300", "--save-every", "20", "--save-total-limit", "2", "--eval-every", "50", "--eval-batches", "1", "--out", run, "-q", .. resume ? ["--resume"] : Array.Empty<string>()];
        var reference = CliRunner.Run(dir.Path, Args("reference", resume: false));
        Assert.True(reference.ExitCode == 0, reference.Stderr);

        var random = new Random(20261201);
        int killed = 0, attempts = 0, runs = 0;
        string[] Losses(string run) => File.ReadAllLines(dir.File($"{run}/metrics.jsonl")).Select(line =>
        {
            var record = JsonDocument.Parse(line).RootElement;
            return string.Join(",", Deterministic.Where(k => record.TryGetProperty(k, out _)).Select(k => $"{k}={record.GetProperty(k)}"));
        }).ToArray();
        // Runs are repeated until the kills are spent: each run is killed until it completes, then compared.
        while (killed < kills)
        {
            string run = $"killed{runs++}";
            while (true)
            {
                bool resume = Directory.Exists(dir.File($"{run}/checkpoints")) && Directory.EnumerateDirectories(dir.File($"{run}/checkpoints")).Any();
                if (!resume && Directory.Exists(dir.File(run))) Directory.Delete(dir.File(run), recursive: true); // killed before its first checkpoint: start over
                var info = new ProcessStartInfo("dotnet") { WorkingDirectory = dir.Path, RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Rlpt.Cli.dll") }.Concat(Args(run, resume))) info.ArgumentList.Add(a);
                using var process = Process.Start(info)!;
                var stderr = process.StandardError.ReadToEndAsync();
                _ = process.StandardOutput.ReadToEndAsync();
                attempts++;
                bool kill = killed < kills;
                if (kill)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(600 + random.Next(3400)));
                    if (!process.HasExited)
                    {
                        process.Kill(entireProcessTree: true); // SIGKILL: no handler runs
                        killed++;
                    }
                }
                using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3))) await process.WaitForExitAsync(timeout.Token);
                if (process.ExitCode == 0) break;
                Assert.True(kill, $"a resumed run failed (exit {process.ExitCode}): {await stderr}");
                Assert.True(attempts < 3 * kills + 20, "the run never finished");
            }
            Assert.Equal(File.ReadAllBytes(dir.File("reference/model/model.safetensors")), File.ReadAllBytes(dir.File($"{run}/model/model.safetensors")));
            Assert.Equal(Losses("reference"), Losses(run));
            Directory.Delete(dir.File(run), recursive: true);
        }
        output.WriteLine($"{killed} kills over {runs} runs in {attempts} attempts: every run ended with the reference's weights and losses");
    }
}
