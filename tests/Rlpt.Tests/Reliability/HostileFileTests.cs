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
        var (tried, refused, loaded) = RefuseEach(DamagedModelFolders.All(bitFlips: 40, seed: 1), valid, "model folders", folder =>
        {
            var (loadedModel, _) = ModelFolder.Load(folder, CPU);
            loadedModel.Dispose();
        });
        output.WriteLine($"damaged model folders: {tried} tried, {refused} refused cleanly, {loaded} bit-flipped files still valid and loaded");
        Assert.True(refused >= tried - 40, $"{refused} refused, {loaded} loaded");
    }

    /// <summary>
    /// Damages a copy of <paramref name="valid"/> for each case and reads it: each must be refused within 10 s by one
    /// clean line, except bit flips, which may leave a valid file. Returns how many were tried, refused and read.
    /// </summary>
    private static (int Tried, int Refused, int Read) RefuseEach(IEnumerable<DamagedInput> cases, string valid, string what, Action<string> read)
    {
        var failures = new List<string>();
        int tried = 0, refused = 0, readCount = 0;
        foreach (var damaged in cases)
        {
            string folder = $"{valid}-case{tried++}";
            CopyFolder(valid, folder);
            damaged.Damage(folder);
            var clock = Stopwatch.StartNew();
            try
            {
                read(folder);
                readCount++;
                if (!damaged.Name.Contains("bit flip", StringComparison.Ordinal)) failures.Add($"{damaged.Name}: read");
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
        Assert.True(failures.Count == 0, $"{failures.Count} of {tried} damaged {what} were not refused cleanly:\n{string.Join('\n', failures)}");
        Assert.Equal(tried, refused + readCount);
        return (tried, refused, readCount);
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

    [Fact]
    public void DamagedDatasetsAreRefusedWithOneClearLine()
    {
        using var dir = new TestDirectory();
        string valid = dir.File("valid");
        Rlpt.Tests.Training.TinyCorpus.Build(valid).Data.Dispose();
        DamagedDatasets.ReadEverything(valid);
        var (tried, refused, read) = RefuseEach(DamagedDatasets.All(bitFlips: 20, seed: 1), valid, "datasets", DamagedDatasets.ReadEverything);
        output.WriteLine($"damaged datasets: {tried} tried, {refused} refused cleanly, {read} bit-flipped files still valid and read");
        Assert.True(refused >= tried - 40, $"{refused} refused, {read} read");
    }

    /// <summary>Through the real `rlpt pretrain`: refused before training, or (an id outside the vocabulary, met as it is read) stopped with one line.</summary>
    [Fact]
    public void TheCliReportsADamagedDatasetInOneLine()
    {
        using var dir = new TestDirectory();
        Rlpt.Tests.Training.TinyCorpus.Build(dir.File("ds")).Data.Dispose();
        var expected = new Dictionary<string, string>
        {
            ["meta vocab_size 1e9"] = "vocab_size 1000000000 is out of range",
            ["a document's tokens past the end"] = "points outside the split's files",
            ["train.bin a token id beyond the vocabulary"] = "outside the vocabulary",
        };
        foreach (var damaged in DamagedDatasets.All(bitFlips: 0, seed: 1).Where(c => expected.ContainsKey(c.Name)))
        {
            CopyFolder(dir.File("ds"), dir.File("broken"));
            damaged.Damage(dir.File("broken"));
            var result = CliRunner.Run(dir.Path, "pretrain", "--data", "broken", "--preset", "tiny", "--batch-size", "8", "--sequence-length", "32", "--max-steps", "100",
                "--eval-every", "0", "--save-every", "0", "--out", "run", "-q");
            CliErrorTests.AssertCleanError(result, expected[damaged.Name]);
            Directory.Delete(dir.File("broken"), recursive: true);
            if (Directory.Exists(dir.File("run"))) Directory.Delete(dir.File("run"), recursive: true);
        }
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
