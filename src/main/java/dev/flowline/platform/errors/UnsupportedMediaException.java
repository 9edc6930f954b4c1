package dev.flowline.platform.errors;

/** Answered with HTTP 415. */
public class UnsupportedMediaException extends FlowlineException {

    public UnsupportedMediaException(String detail) {
        super("unsupported-media-type", "Unsupported media type", detail);
    }

    @Override
    public int status() {
        return 415;
    }
}
