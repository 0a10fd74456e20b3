using System.Diagnostics;
using System.Text.Json;
using Rlpt.Interop.HuggingFace;
using Rlpt.Tests.Cli;
using static TorchSharp.torch;

namespace Rlpt.Tests.Reliability;

/// <summary>
/// Every damaged model folder of <see cref="DamagedModelFolders"/> is refused with one clear line (an error the CLI
/// reports as `rlpt: error: ...`, exit 1), quickly, without a partially loaded model; a bit flip that leaves a valid
/// file may load. The counts are in RELIABILITY.md.
/// </summary>
public sealed class HostileFileTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>What the CLI reports as bad input (ErrorReporting's expected kinds), not as a crash.</summary>
    private static bool Clean(Exception e) => e is InvalidDataException or ArgumentException or IOException or JsonException or NotSupportedException or UnauthorizedAccessException;

    [Fact]
    public void DamagedModelFoldersAreRefusedWithOneClearLine()
    {
        using var dir = new TestDirectory();
        string valid = dir.File("valid");
        DamagedModelFolders.WriteValid(valid);
        var (model, _) = ModelFolder.Load(valid, CPU);
        model.Dispose();
        var failures = new List<string>();
        int tried = 0, refused = 0, loaded = 0;
        foreach (var damaged in DamagedModelFolders.All(bitFlips: 40, seed: 1))
        {
            string folder = dir.File($"case{tried++}");
            CopyFolder(valid, folder);
            damaged.Damage(folder);
            var clock = Stopwatch.StartNew();
            try
            {
                var (loadedModel, _) = ModelFolder.Load(folder, CPU);
                loadedModel.Dispose();
                loaded++;
                if (!damaged.Name.Contains("bit flip", StringComparison.Ordinal)) failures.Add($"{damaged.Name}: loaded");
            }
            catch (Exception e) when (Clean(e) && !e.Message.Contains('\n'))
            {
                refused++;
            }
            catch (Exception e)
            {
                failures.Add($"{damaged.Name}: {e.GetType().Name}: {e.Message}");
            }
            if (clock.Elapsed > TimeSpan.FromSeconds(10)) failures.Add($"{damaged.Name}: took {clock.Elapsed.TotalSeconds:F1} s");
            Directory.Delete(folder, recursive: true);
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {tried} damaged folders were not refused cleanly:\n{string.Join('\n', failures)}");
        output.WriteLine($"damaged model folders: {tried} tried, {refused} refused cleanly, {loaded} bit-flipped files still valid and loaded");
        Assert.Equal(tried, refused + loaded);
        Assert.True(refused >= tried - 40, $"{refused} refused, {loaded} loaded");
    }

    [Fact]
    public void TheCliReportsADamagedFolderInOneLine()
    {
        using var dir = new TestDirectory();
        DamagedModelFolders.WriteValid(dir.File("model"));
        var cases = DamagedModelFolders.All(bitFlips: 0, seed: 1).Where(c => c.Name is "header length claims 2 GB" or "config hidden_size 1e9" or "tokenizer merges of missing tokens");
        foreach (var damaged in cases)
        {
            CopyFolder(dir.File("model"), dir.File("broken"));
            damaged.Damage(dir.File("broken"));
            var result = CliRunner.Run(dir.Path, "generate", "--model", "broken", "-p", "a", "-n", "1", "--max-tokens", "2");
            CliErrorTests.AssertCleanError(result, "");
            Directory.Delete(dir.File("broken"), recursive: true);
        }
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
