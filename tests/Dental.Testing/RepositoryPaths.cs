namespace Dental.Testing;

public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Emulators => Path.Combine(Root, "emulators");

    /// <summary>The web client's sources; the gateway serves its build from <c>dist</c>.</summary>
    public static string Web => Path.Combine(Root, "web");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dental.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Dental.slnx not found above the test output folder.");
    }
}
