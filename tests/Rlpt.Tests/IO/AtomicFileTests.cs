using Rlpt.IO;

namespace Rlpt.Tests.IO;

public sealed class AtomicFileTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("rlpt-atomic-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string[] Entries(string dir) =>
        Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Fact]
    public void WriteAllText_ReplacesExistingFile_AndLeavesNoTempFiles()
    {
        var path = Path.Combine(_dir.FullName, "state.json");
        File.WriteAllText(path, "old content that is longer than the new one");

        AtomicFile.WriteAllText(path, "new");

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(["state.json"], Entries(_dir.FullName));
    }

    [Fact]
    public void WriteAllBytes_CreatesMissingDirectory()
    {
        var path = Path.Combine(_dir.FullName, "sub", "data.bin");

        AtomicFile.WriteAllBytes(path, [1, 2, 3]);

        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
        Assert.Equal(["data.bin"], Entries(Path.Combine(_dir.FullName, "sub")));
    }

    [Fact]
    public void Write_WhenWriterThrows_KeepsOldFile_AndDeletesTemp()
    {
        var path = Path.Combine(_dir.FullName, "state.json");
        File.WriteAllText(path, "old");

        var error = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("partial"u8);
            throw new InvalidOperationException("writer failed");
        }));

        Assert.Equal("writer failed", error.Message);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["state.json"], Entries(_dir.FullName));
    }

    [Fact]
    public void ReplaceDirectory_ReplacesExistingDirectory_AndRemovesBackup()
    {
        var final = Path.Combine(_dir.FullName, "checkpoint");
        var temp = Path.Combine(_dir.FullName, "checkpoint.tmp");
        Directory.CreateDirectory(final);
        File.WriteAllText(Path.Combine(final, "old.txt"), "old");
        Directory.CreateDirectory(temp);
        File.WriteAllText(Path.Combine(temp, "new.txt"), "new");

        AtomicFile.ReplaceDirectory(temp, final);

        Assert.Equal(["new.txt"], Entries(final));
        Assert.Equal("new", File.ReadAllText(Path.Combine(final, "new.txt")));
        Assert.Equal(["checkpoint"], Entries(_dir.FullName));
    }

    [Fact]
    public void ReplaceDirectory_MovesIntoPlace_WhenTargetIsAbsent()
    {
        var final = Path.Combine(_dir.FullName, "checkpoint");
        var temp = Path.Combine(_dir.FullName, "checkpoint.tmp");
        Directory.CreateDirectory(temp);
        File.WriteAllText(Path.Combine(temp, "a.txt"), "a");

        AtomicFile.ReplaceDirectory(temp, final);

        Assert.Equal(["a.txt"], Entries(final));
        Assert.False(Directory.Exists(temp));
    }

    [Fact]
    public void ReplaceDirectory_WithMissingSource_ThrowsAndKeepsTarget()
    {
        var final = Path.Combine(_dir.FullName, "checkpoint");
        Directory.CreateDirectory(final);
        File.WriteAllText(Path.Combine(final, "old.txt"), "old");

        Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.ReplaceDirectory(Path.Combine(_dir.FullName, "nope"), final));

        Assert.Equal(["old.txt"], Entries(final));
    }
}
