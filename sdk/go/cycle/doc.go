// Cycle.io hub integrations: verified credentials, exactly-once creates.
package cycle
