namespace Rlpt.Tests;

/// <summary>Folders of the source checkout the tests run from.</summary>
internal static class RepositoryPaths
{
    /// <summary>The checkout's root: the first folder above the test assembly that holds the `rlpt` script and samples/.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Where tests leave files for a person to look at (screenshots): tests/Rlpt.Tests/TestResults/artifacts.</summary>
    public static string Artifacts => Directory.CreateDirectory(Path.Combine(Root, "tests", "Rlpt.Tests", "TestResults", "artifacts")).FullName;

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !(File.Exists(Path.Combine(directory.FullName, "rlpt")) && Directory.Exists(Path.Combine(directory.FullName, "samples"))))
            directory = directory.Parent;
        return directory?.FullName ?? throw new DirectoryNotFoundException("no source checkout (rlpt, samples/) above the test assembly.");
    }
}
