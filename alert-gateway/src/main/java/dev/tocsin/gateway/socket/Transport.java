package dev.tocsin.gateway.socket;

/**
 * Where one connection's frames are written, seen from its delivery: whether the transport takes more now, and the
 * write itself. {@link SocketWriter} is the one used in the service; plain tests of the delivery logic use their
 * own.
 */
public interface Transport<F extends TextFrame> {

    /** Whether the transport's buffer is above its high-water mark: write no more until {@link Listener#drained}. */
    boolean bufferFull();

    /**
     * Writes one frame; the listener is told the outcome, possibly before this returns.
     *
     * @param tail null, or the UTF-8 bytes that replace the text's closing {@code '}'} for this connection only (for
     *             example {@code ,"cursor":"42"}}); the shared text is never encoded again per connection
     */
    void write(F frame, byte[] tail);

    /** What the transport tells its owner. */
    interface Listener<F> {

        /** The frame was handed to the socket ({@code failure} null) or could not be. */
        void written(F frame, Throwable failure);

        /** The buffer went below its low-water mark: frames may be written again. */
        void drained();
    }

    /** Opens a transport that reports to the given listener. */
    interface Opener<F extends TextFrame> {
        Transport<F> open(Listener<F> listener);
    }
}
