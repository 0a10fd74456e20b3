using System.Diagnostics;
using System.Globalization;

namespace Rlpt.Tests.Samples;

/// <summary>The programs under samples/ build against the library and run as a user would run them.</summary>
public sealed class SamplesTests
{
    [Fact]
    public async Task TheCustomObjectiveSampleTrainsItsOwnRegisteredObjectiveAndGeneratesFromTheSavedFolder()
    {
        using var dir = new TestDirectory();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "run", "--project", Path.Combine(RepositoryPaths.Root, "samples", "CustomObjective"), "-c", "Release", "--", dir.File("run") })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        var stderrTask = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        string stdout = await stdoutTask, stderr = await stderrTask;
        Assert.True(process.ExitCode == 0, stdout + stderr);

        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var reward = lines.Single(l => l.StartsWith("reward: ", StringComparison.Ordinal)).Split(' ');
        double first = double.Parse(reward[3].TrimEnd(','), CultureInfo.InvariantCulture), last = double.Parse(reward[6], CultureInfo.InvariantCulture);
        Assert.True(last > first + 0.5, $"the sample's objective should be learned: {lines[0]}");
        Assert.Equal(4, lines.Count(l => l.StartsWith("sample: the cat|", StringComparison.Ordinal)));
        Assert.True(File.Exists(Path.Combine(dir.File("run"), "model", "model.safetensors")));
    }
}
