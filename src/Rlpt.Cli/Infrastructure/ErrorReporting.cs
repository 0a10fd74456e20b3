using System.Text.Json;

namespace Rlpt.Cli.Infrastructure;

/// <summary>Turns expected failures (bad input, missing files) into one line on stderr and a non-zero exit.</summary>
public static class ErrorReporting
{
    public static bool Verbose { get; set; }

    public static int Report(Exception exception)
    {
        var error = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : exception;
        if (error is OperationCanceledException)
        {
            Console.Error.WriteLine("rlpt: interrupted.");
            return Interrupt.ExitCode;
        }
        bool expected = error is ArgumentException or IOException or InvalidDataException or InvalidOperationException
            or JsonException or UnauthorizedAccessException or NotSupportedException or Spectre.Console.Cli.CommandAppException;
        Console.Error.WriteLine($"rlpt: error: {error.Message}");
        if (Verbose) Console.Error.WriteLine(error.ToString());
        else if (!expected) Console.Error.WriteLine("(unexpected error: run with --verbose for details)");
        return expected ? 1 : 2;
    }
}
