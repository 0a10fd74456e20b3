namespace Rlpt.Cli.Infrastructure;

/// <summary>
/// Ctrl-C handling: the first press asks the running job to stop at the next safe point (it saves what resume
/// needs); a second press exits at once.
/// </summary>
public static class Interrupt
{
    private static readonly CancellationTokenSource Source = new();

    public static CancellationToken Token => Source.Token;

    public static void Install()
    {
        Console.CancelKeyPress += (_, e) =>
        {
            if (Source.IsCancellationRequested) return; // second press: let the process die
            e.Cancel = true;
            Console.Error.WriteLine("interrupt: stopping at the next safe point (press Ctrl-C again to abort)...");
            Source.Cancel();
        };
    }

    public const int ExitCode = 130;
}
