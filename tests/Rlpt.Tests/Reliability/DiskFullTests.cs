using System.Diagnostics;
using System.Globalization;
using Rlpt.Tests.Cli;
using Rlpt.Tests.Training;

namespace Rlpt.Tests.Reliability;

/// <summary>
/// A save that runs out of room: `rlpt pretrain` resumes into a file system too full (tmpfs, when the test may mount
/// one) or a file-size limit too small (ulimit -f, anywhere) for its next checkpoint. It must stop with one clear line
/// and exit 1, leave the previous checkpoint intact and loadable with no half-written one beside it, and once there is
/// room again, --resume must finish with the weights of an uninterrupted run, bit for bit.
/// </summary>
[Collection(Rlpt.Tests.Reliability.HeavyProcesses.Name)]
public sealed class DiskFullTests
{
    private static string[] Pretrain(string run, int steps, bool resume) =>
    [
        "pretrain", "--data", "ds", "--preset", "tiny", "--batch-size", "2", "--sequence-length", "32", "--max-steps", steps.ToString(CultureInfo.InvariantCulture),
        "--save-every", "10", "--save-total-limit", "2", "--eval-every", "0", "--out", run, "-q", .. resume ? ["--resume"] : Array.Empty<string>(),
    ];

    /// <summary>rlpt under bash, after <paramref name="limit"/> (e.g. a ulimit), so the limit binds the process itself.</summary>
    private static CliRunner.Result RunLimited(string directory, string limit, string[] arguments)
    {
        var info = new ProcessStartInfo("bash") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        // The runtime's W^X double mapping needs a file as large as its code heap; under a small ulimit -f it would not start.
        info.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"{limit}; exec dotnet \"$0\" \"$@\"");
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Rlpt.Cli.dll"));
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "rlpt did not finish");
        return new CliRunner.Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static void AssertStoppedCleanlyWithTheLastCheckpointIntact(CliRunner.Result result, string run, string says)
    {
        Assert.Equal(1, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines, l => l.StartsWith("rlpt: error:", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.Contains(says, result.Stderr);
        Assert.Contains("the last checkpoint, step-0000010, is intact", result.Stderr);
        var checkpoints = Directory.GetDirectories(Path.Combine(run, "checkpoints")).Select(d => Path.GetFileName(d)!).ToArray();
        Assert.Equal(["step-0000010"], checkpoints); // the one before the failed save, and nothing half-written
    }

    [Fact]
    public void ASaveBeyondTheFileSizeLimitStopsCleanlyAndTheRunResumesOnceThereIsRoom()
    {
        using var dir = new TestDirectory();
        TinyCorpus.Build(dir.File("ds")).Data.Dispose();
        Assert.Equal(0, CliRunner.Run(dir.Path, Pretrain("reference", 20, resume: false)).ExitCode);
        Assert.Equal(0, CliRunner.Run(dir.Path, Pretrain("run", 10, resume: false)).ExitCode);
        // Room for the logs, not for the next checkpoint's weights. SIGXFSZ is ignored, so the write fails with EFBIG.
        long weights = new FileInfo(dir.File("run/checkpoints/step-0000010/model.safetensors")).Length;
        var full = RunLimited(dir.Path, $"trap '' XFSZ; ulimit -f {weights / 2 / 1024}", Pretrain("run", 20, resume: true));
        AssertStoppedCleanlyWithTheLastCheckpointIntact(full, dir.File("run"), "could not save the checkpoint of step 20");

        var resumed = CliRunner.Run(dir.Path, Pretrain("run", 20, resume: true));
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal(File.ReadAllBytes(dir.File("reference/model/model.safetensors")), File.ReadAllBytes(dir.File("run/model/model.safetensors")));
    }

    [RootFact]
    public void ASaveOntoAFullFileSystemStopsCleanlyAndTheRunResumesOnceThereIsRoom()
    {
        using var dir = new TestDirectory();
        TinyCorpus.Build(dir.File("ds")).Data.Dispose();
        Assert.Equal(0, CliRunner.Run(dir.Path, Pretrain("reference", 20, resume: false)).ExitCode);
        Assert.Equal(0, CliRunner.Run(dir.Path, Pretrain("sized", 10, resume: false)).ExitCode);
        long checkpoint = Directory.GetFiles(dir.File("sized/checkpoints/step-0000010")).Sum(f => new FileInfo(f).Length);
        long used = Directory.GetFiles(dir.File("sized"), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        // A file system that holds the run after its first checkpoint and half of the next one.
        Directory.CreateDirectory(dir.File("mnt"));
        long size = used + checkpoint / 2 + (1 << 20);
        Assert.Equal(0, CliRunner.RunProcess("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", dir.File("mnt")).ExitCode);
        try
        {
            Assert.Equal(0, CliRunner.Run(dir.Path, Pretrain("mnt/run", 10, resume: false)).ExitCode);
            var full = CliRunner.Run(dir.Path, Pretrain("mnt/run", 20, resume: true));
            AssertStoppedCleanlyWithTheLastCheckpointIntact(full, dir.File("mnt/run"), "could not save the checkpoint of step 20");
            // Room again: the run, moved to a disk with space, resumes from its intact checkpoint.
            CopyDirectory(dir.File("mnt/run"), dir.File("run"));
        }
        finally
        {
            CliRunner.RunProcess("umount", dir.File("mnt"));
        }
        var resumed = CliRunner.Run(dir.Path, Pretrain("run", 20, resume: true));
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal(File.ReadAllBytes(dir.File("reference/model/model.safetensors")), File.ReadAllBytes(dir.File("run/model/model.safetensors")));
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

/// <summary>A test that mounts a file system: it needs root, and says so when skipped.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (Environment.UserName != "root") Skip = "mounting a small tmpfs needs root; the ulimit -f case covers a full disk without it.";
    }
}
