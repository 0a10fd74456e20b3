using System.Diagnostics;
using System.Globalization;

namespace Rlpt.Tests.Reliability;

internal static class SignalStop
{
    /// <summary>
    /// Waits until <paramref name="metrics"/> holds <paramref name="steps"/> logged steps, sends SIGTERM or SIGINT, and
    /// asserts the conventional exit (143 / 130) within 2 minutes.
    /// </summary>
    public static async Task AfterSteps(Process process, Task<string> stderr, string signal, string metrics, int steps, TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        while (!(File.Exists(metrics) && File.ReadAllLines(metrics).Length >= steps))
        {
            if (process.HasExited) Assert.Fail($"exited ({process.ExitCode}) before step {steps}: {await stderr}");
            Assert.True(clock.Elapsed < patience, $"fewer than {steps} training steps within {patience.TotalMinutes} minutes");
            await Task.Delay(50);
        }
        using (var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2))) await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == (signal == "TERM" ? 143 : 130), $"exit {process.ExitCode} after SIG{signal}: {await stderr}");
    }
}
