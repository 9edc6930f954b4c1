/**
 * The workflow definition: a JSON graph of typed nodes joined by edges, the records it parses into, and the
 * validation that guards the API. Pure Java over JSON-P, so it is unit-tested without a container and the engine can
 * trust every {@link dev.flowline.workflows.definition.WorkflowDefinition} it is handed.
 */
package dev.flowline.workflows.definition;
