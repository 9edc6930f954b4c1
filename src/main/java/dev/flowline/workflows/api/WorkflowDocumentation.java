package dev.flowline.workflows.api;

import dev.flowline.workflows.RetryPolicy;
import dev.flowline.workflows.definition.NodeType;
import dev.flowline.platform.rest.ApiContract;
import org.eclipse.microprofile.openapi.models.tags.Tag;

/**
 * Puts the workflow definition format, every node type's parameters and the retry policy into the OpenAPI document (the "Workflows"
 * tag), generated from the same constants the validator enforces, so the two cannot drift. Registered with
 * {@code mp.openapi.filter}, which takes one class: it extends the platform's {@link ApiContract}.
 */
public class WorkflowDocumentation extends ApiContract {

    static final String TAG = "Workflows";

    @Override
    public Tag filterTag(Tag tag) {
        if (TAG.equals(tag.getName())) {
            tag.setDescription(NodeType.documentation() + "\n" + RetryPolicy.documentation());
        }
        return super.filterTag(tag);
    }
}
