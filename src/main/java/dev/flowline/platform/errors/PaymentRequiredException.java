package dev.flowline.platform.errors;

/**
 * Answered with HTTP 402: the workspace's plan does not include this or its quota for the period is used up.
 * Flowline answers every plan limit with 402 (never 429, which is for rate limits).
 */
public class PaymentRequiredException extends FlowlineException {

    public PaymentRequiredException(String detail) {
        this("payment-required", "Plan limit reached", detail);
    }

    protected PaymentRequiredException(String type, String title, String detail) {
        super(type, title, detail);
    }

    @Override
    public int status() {
        return 402;
    }
}
