using System.Net;
using System.Net.Sockets;

namespace Funnel.AppHost;

/// <summary>Ports for the servers the AppHost runs itself (the broker, the database server).</summary>
internal static class LocalPorts
{
    /// <summary>
    /// A port that is free now, below the kernels' ephemeral ranges (Linux 32768-60999, Windows and macOS from 49152):
    /// the broker binds it seconds later, and a port from those ranges can meanwhile be taken by any outgoing connection
    /// (it happened: the management listener could not start and the broker's boot failed).
    /// </summary>
    public static int Free(ISet<int>? picked = null)
    {
        while (true)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            if (picked is not null && !picked.Add(port))
            {
                continue;
            }
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use: try another.
            }
        }
    }
}
