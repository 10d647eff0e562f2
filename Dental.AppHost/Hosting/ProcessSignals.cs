using System.Runtime.InteropServices;

namespace Dental.AppHost.Hosting;

/// <summary>
/// .NET can only SIGKILL a process; a graceful stop (flush telemetry, save emulator data, release
/// ports) needs SIGTERM, which libc's kill(2) sends.
/// </summary>
internal static partial class ProcessSignals
{
    private const int SigTerm = 15;

    public static void Terminate(int processId) => _ = Kill(processId, SigTerm);

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
