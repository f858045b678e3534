package dev.rowcast.impl.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The write-buffer shrink against objects shaped like Payara's response, with and without the links it follows. */
class SmallWriteBufferTest {

    /** Shaped like Grizzly's OutputBuffer: a public setter that ignores sizes under 512 and works until committed. */
    public static class GrizzlyLikeOutputBuffer {
        private int bufferSize = 8192;
        boolean committed;

        public int getBufferSize() {
            return bufferSize;
        }

        public void setBufferSize(int size) {
            if (!committed) {
                bufferSize = Math.max(size, 512);
            }
        }
    }

    /** Shaped like Grizzly's Response. */
    public static class GrizzlyLikeResponse {
        final GrizzlyLikeOutputBuffer outputBuffer = new GrizzlyLikeOutputBuffer();

        public GrizzlyLikeOutputBuffer getOutputBuffer() {
            return outputBuffer;
        }
    }

    /** Shaped like Catalina's Response. */
    public static class CatalinaLikeResponse {
        final GrizzlyLikeResponse grizzly = new GrizzlyLikeResponse();

        public GrizzlyLikeResponse getCoyoteResponse() {
            return grizzly;
        }
    }

    /** Shaped like Catalina's ResponseFacade: what a filter is given. */
    static class FacadeLikeResponse {
        protected CatalinaLikeResponse response = new CatalinaLikeResponse();
    }

    /** Another container's response. */
    static class OtherResponse {
        private final Object delegate = new Object();
    }

    private final AtomicInteger shrunk = new AtomicInteger();
    private final SmallWriteBuffer small = new SmallWriteBuffer(shrunk::incrementAndGet);
    private final LogCapture log = new LogCapture(SmallWriteBuffer.class);
    private final List<String> warnings = log.messages();

    @BeforeEach
    void listen() {
        log.attach();
    }

    @AfterEach
    void detach() {
        log.detach();
    }

    @Test
    void should_give_the_response_grizzlys_smallest_buffer() {
        FacadeLikeResponse response = new FacadeLikeResponse();
        assertTrue(small.shrink(response));
        assertEquals(SmallWriteBuffer.BUFFER_BYTES, response.response.grizzly.outputBuffer.getBufferSize());
        assertEquals(1, shrunk.get());
        assertEquals(List.of(), warnings);
    }

    @Test
    void should_change_nothing_and_warn_once_on_another_container() {
        assertFalse(small.shrink(new OtherResponse()));
        assertFalse(small.shrink(new OtherResponse()));
        assertEquals(0, shrunk.get());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("ROWCAST-067: "), warnings.get(0));
    }

    @Test
    void should_warn_when_the_buffer_stays_large() {
        FacadeLikeResponse response = new FacadeLikeResponse();
        response.response.grizzly.outputBuffer.committed = true;
        assertFalse(small.shrink(response));
        assertEquals(8192, response.response.grizzly.outputBuffer.getBufferSize());
        assertEquals(0, shrunk.get());
        assertEquals(1, warnings.size(), warnings.toString());
    }
}
