/**
 * Plain-JDBC implementations of core's ports: an embedded H2 database under the data directory by
 * default, PostgreSQL in production, both migrated by the same Flyway scripts in
 * {@code db/migration}.
 */
@NullMarked
package dev.guildhall.store.jdbc;

import org.jspecify.annotations.NullMarked;
