package kubefake.server.streams;

/**
 * The client's side of an exec or attach session, whatever carries it (WebSocket channels or SPDY streams): output
 * goes out on stdout and stderr, and the session ends with its status on the error channel.
 */
interface StreamChannels {
    void stdout(byte[] data);

    void stderr(byte[] data);

    /**
     * Queues {@code task} to run once the client has taken the output it is behind on, and answers true; false (the task
     * not queued) when it is not behind.
     */
    boolean whenWritable(Runnable task);

    /** Writes the status (a {@code metav1.Status} as the kubelet encodes it, or for the oldest protocols its text) and closes. */
    void finish(ExitStatus status);

    /** What the session hears from the client. */
    interface Listener {
        /** Every stream the client asked for is open: the process may start. */
        void opened();

        void stdin(byte[] data);

        void stdinClosed();

        /** The client's terminal has this size (columns, lines): sent when a session with a TTY opens, then on each change. */
        default void resize(int width, int height) {
        }

        /** The client went away: the process is killed. */
        void closed();

        /** The channels to write to, once the upgrade is done (before {@link #opened}). */
        void attach(StreamChannels channels);
    }
}
