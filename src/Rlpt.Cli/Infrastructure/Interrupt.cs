using System.Runtime.InteropServices;

namespace Rlpt.Cli.Infrastructure;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM handling: the first signal asks the running job to stop at the next safe point (it saves
/// what resume needs) and the command then exits with the shell's convention, 128 + the signal: 130 for Ctrl-C, 143
/// for SIGTERM. A second signal exits at once.
/// </summary>
public static class Interrupt
{
    private static readonly CancellationTokenSource Source = new();
    /// <summary>Held so the SIGTERM handler stays registered (a collected registration unregisters itself).</summary>
    private static PosixSignalRegistration? termination;

    public static CancellationToken Token => Source.Token;

    /// <summary>The exit code of a command stopped by a signal: 130 (SIGINT) or 143 (SIGTERM).</summary>
    public static int ExitCode { get; private set; } = 130;

    public static void Install()
    {
        Console.CancelKeyPress += (_, e) =>
        {
            if (Source.IsCancellationRequested) return; // second press: let the process die
            e.Cancel = true;
            Stop("interrupt", 130);
        };
        termination = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            if (Source.IsCancellationRequested) return; // a second SIGTERM: the default, terminate now
            context.Cancel = true;
            Stop("SIGTERM", 143);
        });
    }

    private static void Stop(string signal, int exitCode)
    {
        ExitCode = exitCode;
        Console.Error.WriteLine($"{signal}: stopping at the next safe point (send it again to abort)...");
        Source.Cancel();
    }
}
