// @generated automatically by Diesel CLI.

diesel::table! {
    audit_events (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        actor_id -> Nullable<Int8>,
        actor_label -> Text,
        action -> Text,
        subject_type -> Text,
        subject_id -> Nullable<Int8>,
        before -> Nullable<Jsonb>,
        after -> Nullable<Jsonb>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    login_attempts (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        email -> Text,
        ip -> Text,
        succeeded -> Bool,
        attempted_at -> Timestamptz,
    }
}

diesel::table! {
    tenant_domains (domain) {
        domain -> Text,
        tenant_id -> Int8,
    }
}

diesel::table! {
    tenants (id) {
        id -> Int8,
        slug -> Text,
        name -> Text,
        default_locale -> Text,
        primary_color -> Text,
        accent_color -> Text,
        logo -> Nullable<Bytea>,
        logo_content_type -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    users (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        email -> Text,
        display_name -> Text,
        role -> Text,
        password_hash -> Nullable<Text>,
        locale -> Nullable<Text>,
        disabled -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::joinable!(audit_events -> tenants (tenant_id));
diesel::joinable!(login_attempts -> tenants (tenant_id));
diesel::joinable!(tenant_domains -> tenants (tenant_id));
diesel::joinable!(users -> tenants (tenant_id));

diesel::allow_tables_to_appear_in_same_query!(
    audit_events,
    login_attempts,
    tenant_domains,
    tenants,
    users,
);
