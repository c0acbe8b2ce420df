/** JMH benchmarks of the workflow engine's own overhead, against LangGraph4j on the same graphs. */
package dev.guildhall.bench;
