// @generated automatically by Diesel CLI.

diesel::table! {
    api_keys (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        name -> Text,
        prefix -> Text,
        secret_sha256 -> Text,
        scopes -> Array<Text>,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
        last_used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    api_idempotency (tenant_id, api_key_id, idempotency_key) {
        tenant_id -> Int8,
        api_key_id -> Int8,
        idempotency_key -> Text,
        request_sha256 -> Text,
        status -> Int2,
        body -> Jsonb,
        created_at -> Timestamptz,
    }
}

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
    auth_tokens (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        user_id -> Int8,
        purpose -> Text,
        token_hash -> Text,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    badge_awards (tenant_id, user_id, badge) {
        tenant_id -> Int8,
        user_id -> Int8,
        badge -> Text,
        awarded_at -> Timestamptz,
        points -> Int8,
        ledger_transaction_id -> Nullable<Int8>,
    }
}

diesel::table! {
    badges (tenant_id, rule) {
        tenant_id -> Int8,
        rule -> Text,
        name -> Text,
        description -> Text,
        image_key -> Nullable<Text>,
        image_content_type -> Nullable<Text>,
        points -> Int8,
        active -> Bool,
        streak_weeks -> Int4,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    challenge_awards (tenant_id, challenge_id, participant_id) {
        tenant_id -> Int8,
        challenge_id -> Int8,
        participant_id -> Int8,
        result -> Int8,
        target -> Nullable<Int8>,
        rank -> Int4,
        tier_percent -> Nullable<Int4>,
        tier_points -> Int8,
        rank_points -> Int8,
        ledger_transaction_id -> Nullable<Int8>,
        awarded_at -> Timestamptz,
    }
}

diesel::table! {
    challenge_banners (tenant_id, challenge_id) {
        tenant_id -> Int8,
        challenge_id -> Int8,
        storage_key -> Text,
        content_type -> Text,
        size -> Int8,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    challenge_contributions (tenant_id, challenge_id, source, source_id) {
        tenant_id -> Int8,
        challenge_id -> Int8,
        source -> Text,
        source_id -> Int8,
        participant_id -> Int8,
        amount -> Int8,
    }
}

diesel::table! {
    challenge_partner_scores (tenant_id, challenge_id, partner_id) {
        tenant_id -> Int8,
        challenge_id -> Int8,
        partner_id -> Int8,
        target -> Nullable<Int8>,
        result -> Int8,
        reached_at -> Timestamptz,
        attainment -> Nullable<Int8>,
        members -> Int4,
    }
}

diesel::table! {
    challenge_rank_prizes (tenant_id, challenge_id, rank) {
        tenant_id -> Int8,
        challenge_id -> Int8,
        rank -> Int4,
        points -> Int8,
    }
}

diesel::table! {
    challenge_scores (tenant_id, challenge_id, participant_id) {
        tenant_id -> Int8,
        challenge_id -> Int8,
        participant_id -> Int8,
        partner_id -> Int8,
        target -> Nullable<Int8>,
        result -> Int8,
        reached_at -> Timestamptz,
        attainment -> Nullable<Int8>,
        final_rank -> Nullable<Int4>,
    }
}

diesel::table! {
    challenge_segments (tenant_id, challenge_id, segment_id) {
        tenant_id -> Int8,
        challenge_id -> Int8,
        segment_id -> Int8,
    }
}

diesel::table! {
    challenge_tiers (tenant_id, challenge_id, percent) {
        tenant_id -> Int8,
        challenge_id -> Int8,
        percent -> Int4,
        points -> Int8,
    }
}

diesel::table! {
    challenge_uploaded_targets (tenant_id, challenge_id, subject_id) {
        tenant_id -> Int8,
        challenge_id -> Int8,
        subject_id -> Int8,
        target -> Int8,
    }
}

diesel::table! {
    challenge_rules (tenant_id, challenge_id) {
        tenant_id -> Int8,
        challenge_id -> Int8,
        objective -> Text,
        scope -> Text,
        target_mode -> Text,
        target_value -> Int8,
        growth_percent -> Nullable<Int4>,
        reference_starts_on -> Nullable<Date>,
        reference_ends_on -> Nullable<Date>,
        multiplier -> Nullable<Int4>,
        rank_basis -> Text,
        product_ids -> Array<Nullable<Int8>>,
        categories -> Array<Nullable<Text>>,
    }
}

diesel::table! {
    challenges (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        title -> Text,
        description -> Text,
        status -> Text,
        starts_at -> Timestamptz,
        ends_at -> Timestamptz,
        award_at -> Nullable<Timestamptz>,
        published_at -> Nullable<Timestamptz>,
        frozen_at -> Nullable<Timestamptz>,
        awarded_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    declaration_decisions (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        declaration_id -> Int8,
        status -> Text,
        decided_by -> Nullable<Int8>,
        reason -> Nullable<Text>,
        ledger_transaction_id -> Nullable<Int8>,
        decided_at -> Timestamptz,
    }
}

diesel::table! {
    declaration_lines (tenant_id, declaration_id, line_no) {
        tenant_id -> Int8,
        declaration_id -> Int8,
        line_no -> Int4,
        product_id -> Int8,
        quantity -> Int4,
        unit_price_minor -> Int8,
        points -> Int8,
        import_key -> Nullable<Text>,
    }
}

diesel::table! {
    declaration_proofs (tenant_id, declaration_id, n) {
        tenant_id -> Int8,
        declaration_id -> Int8,
        n -> Int2,
        content_type -> Text,
        file_name -> Text,
        size -> Int4,
        bytes -> Bytea,
        thumbnail -> Nullable<Bytea>,
    }
}

diesel::table! {
    declaration_rules (tenant_id) {
        tenant_id -> Int8,
        window_days -> Int4,
        max_quantity_per_line -> Int4,
        auto_approve -> Bool,
        auto_approve_max_points -> Int8,
        max_declarations_per_day -> Int4,
        stock_out_weeks -> Int4,
        overstock_weeks -> Int4,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    declarations (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        participant_id -> Int8,
        partner_id -> Int8,
        sale_date -> Date,
        channel -> Text,
        invoice_ref -> Text,
        status -> Text,
        flags -> Array<Nullable<Text>>,
        customer_type -> Nullable<Text>,
        feedback -> Nullable<Text>,
        source -> Text,
        points -> Int8,
        amount_minor -> Int8,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    import_column_mappings (tenant_id, kind) {
        tenant_id -> Int8,
        kind -> Text,
        mapping -> Jsonb,
        updated_by -> Nullable<Int8>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    import_uploads (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        user_id -> Int8,
        kind -> Text,
        file_name -> Text,
        content -> Bytea,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    email_opt_outs (tenant_id, user_id, category) {
        tenant_id -> Int8,
        user_id -> Int8,
        category -> Text,
        source -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    jobs (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        kind -> Text,
        payload -> Jsonb,
        unique_key -> Nullable<Text>,
        status -> Text,
        run_at -> Timestamptz,
        attempts -> Int4,
        max_attempts -> Int4,
        locked_until -> Nullable<Timestamptz>,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        finished_at -> Nullable<Timestamptz>,
        errors -> Jsonb,
    }
}

diesel::table! {
    ledger_accounts (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        kind -> Text,
        user_id -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    ledger_balances (tenant_id, user_id) {
        tenant_id -> Int8,
        user_id -> Int8,
        available_account_id -> Int8,
        held_account_id -> Int8,
        available -> Int8,
        held -> Int8,
    }
}

diesel::table! {
    ledger_holds (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        user_id -> Int8,
        amount -> Int8,
        status -> Text,
        resolved_by -> Nullable<Int8>,
        resolved_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    ledger_lot_uses (tenant_id, transaction_id, lot_id) {
        tenant_id -> Int8,
        transaction_id -> Int8,
        lot_id -> Int8,
        amount -> Int8,
    }
}

diesel::table! {
    ledger_lots (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        user_id -> Int8,
        transaction_id -> Int8,
        amount -> Int8,
        remaining -> Int8,
        expires_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    ledger_postings (tenant_id, transaction_id, account_id) {
        tenant_id -> Int8,
        transaction_id -> Int8,
        account_id -> Int8,
        amount -> Int8,
    }
}

diesel::table! {
    ledger_transactions (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        kind -> Text,
        user_id -> Int8,
        amount -> Int8,
        cause_type -> Nullable<Text>,
        cause_id -> Nullable<Int8>,
        reason -> Text,
        author_id -> Nullable<Int8>,
        hold_id -> Nullable<Int8>,
        reverses -> Nullable<Int8>,
        idempotency_key -> Text,
        request_fingerprint -> Text,
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
    media (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        mission_id -> Int8,
        role -> Text,
        storage_key -> Text,
        content_type -> Text,
        size -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    mission_answers (tenant_id, attempt_id, question_id) {
        tenant_id -> Int8,
        attempt_id -> Int8,
        question_id -> Int8,
        option_ids -> Array<Nullable<Int8>>,
        text_value -> Nullable<Text>,
        rating -> Nullable<Int2>,
        correct -> Nullable<Bool>,
    }
}

diesel::table! {
    mission_attempts (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        mission_id -> Int8,
        participant_id -> Int8,
        period -> Text,
        shuffle_seed -> Int8,
        started_at -> Timestamptz,
        submitted_at -> Nullable<Timestamptz>,
        score_percent -> Nullable<Int4>,
        passed -> Nullable<Bool>,
        timed_out -> Bool,
        review_reason -> Nullable<Text>,
        reviewed_by -> Nullable<Int8>,
        reviewed_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    mission_completions (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        mission_id -> Int8,
        participant_id -> Int8,
        period -> Text,
        attempt_id -> Int8,
        ledger_transaction_id -> Nullable<Int8>,
        completed_at -> Timestamptz,
    }
}

diesel::table! {
    mission_options (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        question_id -> Int8,
        position -> Int4,
        label -> Text,
        correct -> Bool,
    }
}

diesel::table! {
    mission_photo_rules (tenant_id, mission_id) {
        tenant_id -> Int8,
        mission_id -> Int8,
        instructions -> Text,
        photos_required -> Int2,
        product_ids -> Array<Nullable<Int8>>,
    }
}

diesel::table! {
    mission_photos (tenant_id, attempt_id, n) {
        tenant_id -> Int8,
        attempt_id -> Int8,
        n -> Int2,
        content_type -> Text,
        file_name -> Text,
        size -> Int4,
        bytes -> Bytea,
        thumbnail -> Nullable<Bytea>,
    }
}

diesel::table! {
    mission_questions (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        mission_id -> Int8,
        position -> Int4,
        kind -> Text,
        prompt -> Text,
        required -> Bool,
    }
}

diesel::table! {
    mission_quiz_rules (tenant_id, mission_id) {
        tenant_id -> Int8,
        mission_id -> Int8,
        pass_mark -> Int4,
        max_attempts -> Int4,
        time_limit_seconds -> Nullable<Int4>,
    }
}

diesel::table! {
    mission_segments (tenant_id, mission_id, segment_id) {
        tenant_id -> Int8,
        mission_id -> Int8,
        segment_id -> Int8,
    }
}

diesel::table! {
    mission_video_rules (tenant_id, mission_id) {
        tenant_id -> Int8,
        mission_id -> Int8,
        duration_seconds -> Nullable<Int4>,
    }
}

diesel::table! {
    mission_video_watches (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        mission_id -> Int8,
        participant_id -> Int8,
        period -> Text,
        started_at -> Timestamptz,
        seen -> Bytea,
        watched_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    missions (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        kind -> Text,
        title -> Text,
        description -> Text,
        points -> Int8,
        starts_at -> Timestamptz,
        ends_at -> Timestamptz,
        completion_limit -> Text,
        max_completions -> Nullable<Int4>,
        status -> Text,
        position -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    opening_stock (tenant_id, partner_id, product_id) {
        tenant_id -> Int8,
        partner_id -> Int8,
        product_id -> Int8,
        quantity -> Int4,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    partners (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        external_code -> Text,
        name -> Text,
        kind -> Text,
        brand_mode -> Text,
        region -> Text,
        country -> Text,
        tier -> Nullable<Text>,
        potential -> Int2,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    products (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        sku -> Text,
        name -> Text,
        category -> Text,
        unit_price_minor -> Int8,
        points_per_unit -> Int8,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    segment_partners (tenant_id, segment_id, partner_id) {
        tenant_id -> Int8,
        segment_id -> Int8,
        partner_id -> Int8,
    }
}

diesel::table! {
    segments (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        name -> Text,
        kinds -> Array<Nullable<Text>>,
        regions -> Array<Nullable<Text>>,
        tiers -> Array<Nullable<Text>>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    sell_in (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        partner_id -> Int8,
        product_id -> Int8,
        sold_on -> Date,
        quantity -> Int4,
        amount_minor -> Int8,
        import_key -> Text,
        created_at -> Timestamptz,
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
        points_expiry_months -> Nullable<Int4>,
        invitation_ttl_hours -> Int4,
        time_zone -> Text,
        currency -> Text,
        point_value_minor -> Int8,
        challenge_grace_days -> Int4,
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
        partner_id -> Nullable<Int8>,
        sessions_valid_from -> Timestamptz,
        phone -> Nullable<Text>,
        anonymised_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    news_posts (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        title -> Text,
        body -> Text,
        publish_on -> Date,
        end_on -> Nullable<Date>,
        image_key -> Nullable<Text>,
        author_id -> Nullable<Int8>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    news_segments (tenant_id, post_id, segment_id) {
        tenant_id -> Int8,
        post_id -> Int8,
        segment_id -> Int8,
    }
}

diesel::table! {
    delivery_addresses (tenant_id, user_id) {
        tenant_id -> Int8,
        user_id -> Int8,
        address -> Jsonb,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    order_rules (tenant_id) {
        tenant_id -> Int8,
        auto_approve_below -> Nullable<Int8>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    reward_categories (tenant_id, name) {
        tenant_id -> Int8,
        name -> Text,
        position -> Int4,
    }
}

diesel::table! {
    reward_codes (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        reward_id -> Int8,
        code -> Text,
        generated -> Bool,
        order_line_id -> Nullable<Int8>,
        assigned_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    reward_images (tenant_id, reward_id, position) {
        tenant_id -> Int8,
        reward_id -> Int8,
        position -> Int2,
        storage_key -> Text,
        content_type -> Text,
        size -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    reward_order_lines (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        order_id -> Int8,
        reward_id -> Int8,
        quantity -> Int4,
        unit_points -> Int8,
        status -> Text,
        hold_id -> Int8,
        carrier -> Text,
        tracking_number -> Text,
        shipped_at -> Nullable<Timestamptz>,
        delivered_at -> Nullable<Timestamptz>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    reward_orders (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        user_id -> Int8,
        partner_id -> Nullable<Int8>,
        status -> Text,
        total_points -> Int8,
        delivery_address -> Nullable<Jsonb>,
        reason -> Text,
        decided_by -> Nullable<Int8>,
        decided_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    reward_segments (tenant_id, reward_id, segment_id) {
        tenant_id -> Int8,
        reward_id -> Int8,
        segment_id -> Int8,
    }
}

diesel::table! {
    reward_wishes (tenant_id, user_id, reward_id) {
        tenant_id -> Int8,
        user_id -> Int8,
        reward_id -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    rewards (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        code -> Text,
        name -> Text,
        description -> Text,
        category -> Text,
        kind -> Text,
        cost_points -> Int8,
        stock -> Nullable<Int4>,
        max_per_participant -> Nullable<Int4>,
        available_from -> Nullable<Date>,
        available_until -> Nullable<Date>,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    participant_tiers (tenant_id, user_id) {
        tenant_id -> Int8,
        user_id -> Int8,
        earned -> Int8,
        computed_rank -> Int2,
        floor_rank -> Nullable<Int2>,
        floor_reason -> Nullable<Text>,
        rank -> Int2,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    reward_min_tiers (tenant_id, reward_id) {
        tenant_id -> Int8,
        reward_id -> Int8,
        min_rank -> Int2,
    }
}

diesel::table! {
    tier_settings (tenant_id) {
        tenant_id -> Int8,
        time_window -> Text,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    tiers (tenant_id, rank) {
        tenant_id -> Int8,
        rank -> Int2,
        name -> Text,
        threshold -> Int8,
        multiplier_permille -> Int4,
    }
}

diesel::joinable!(audit_events -> tenants (tenant_id));
diesel::joinable!(auth_tokens -> tenants (tenant_id));
diesel::joinable!(challenge_awards -> tenants (tenant_id));
diesel::joinable!(challenge_banners -> tenants (tenant_id));
diesel::joinable!(challenge_contributions -> tenants (tenant_id));
diesel::joinable!(challenge_partner_scores -> tenants (tenant_id));
diesel::joinable!(challenge_rank_prizes -> tenants (tenant_id));
diesel::joinable!(challenge_rules -> tenants (tenant_id));
diesel::joinable!(challenge_scores -> tenants (tenant_id));
diesel::joinable!(challenge_segments -> tenants (tenant_id));
diesel::joinable!(challenge_tiers -> tenants (tenant_id));
diesel::joinable!(challenge_uploaded_targets -> tenants (tenant_id));
diesel::joinable!(challenges -> tenants (tenant_id));
diesel::joinable!(declaration_decisions -> tenants (tenant_id));
diesel::joinable!(declaration_lines -> tenants (tenant_id));
diesel::joinable!(declaration_proofs -> tenants (tenant_id));
diesel::joinable!(declaration_rules -> tenants (tenant_id));
diesel::joinable!(declarations -> tenants (tenant_id));
diesel::joinable!(import_column_mappings -> tenants (tenant_id));
diesel::joinable!(import_uploads -> tenants (tenant_id));
diesel::joinable!(email_opt_outs -> tenants (tenant_id));
diesel::joinable!(jobs -> tenants (tenant_id));
diesel::joinable!(ledger_accounts -> tenants (tenant_id));
diesel::joinable!(ledger_balances -> tenants (tenant_id));
diesel::joinable!(ledger_holds -> tenants (tenant_id));
diesel::joinable!(ledger_lot_uses -> tenants (tenant_id));
diesel::joinable!(ledger_lots -> tenants (tenant_id));
diesel::joinable!(ledger_postings -> tenants (tenant_id));
diesel::joinable!(ledger_transactions -> tenants (tenant_id));
diesel::joinable!(login_attempts -> tenants (tenant_id));
diesel::joinable!(media -> tenants (tenant_id));
diesel::joinable!(mission_answers -> tenants (tenant_id));
diesel::joinable!(mission_attempts -> tenants (tenant_id));
diesel::joinable!(mission_completions -> tenants (tenant_id));
diesel::joinable!(mission_options -> tenants (tenant_id));
diesel::joinable!(mission_photo_rules -> tenants (tenant_id));
diesel::joinable!(mission_photos -> tenants (tenant_id));
diesel::joinable!(mission_questions -> tenants (tenant_id));
diesel::joinable!(mission_quiz_rules -> tenants (tenant_id));
diesel::joinable!(mission_segments -> tenants (tenant_id));
diesel::joinable!(mission_video_rules -> tenants (tenant_id));
diesel::joinable!(mission_video_watches -> tenants (tenant_id));
diesel::joinable!(missions -> tenants (tenant_id));
diesel::joinable!(opening_stock -> tenants (tenant_id));
diesel::joinable!(partners -> tenants (tenant_id));
diesel::joinable!(products -> tenants (tenant_id));
diesel::joinable!(segment_partners -> tenants (tenant_id));
diesel::joinable!(segments -> tenants (tenant_id));
diesel::joinable!(sell_in -> tenants (tenant_id));
diesel::joinable!(tenant_domains -> tenants (tenant_id));
diesel::joinable!(users -> tenants (tenant_id));

diesel::table! {
    sellout_weekly (tenant_id, week, partner_id, product_id, channel) {
        tenant_id -> Int8,
        week -> Date,
        partner_id -> Int8,
        product_id -> Int8,
        channel -> Text,
        units -> Int8,
        amount_minor -> Int8,
        lines -> Int8,
    }
}

diesel::table! {
    webhook_endpoints (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        url -> Text,
        description -> Text,
        events -> Array<Text>,
        enabled -> Bool,
        secret_salt -> Text,
        secret_rotated_at -> Timestamptz,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    participant_activity_weekly (tenant_id, week, participant_id) {
        tenant_id -> Int8,
        week -> Date,
        participant_id -> Int8,
    }
}

diesel::table! {
    webhook_deliveries (tenant_id, id) {
        tenant_id -> Int8,
        id -> Int8,
        endpoint_id -> Int8,
        event_id -> Text,
        event_type -> Text,
        payload -> Jsonb,
        status -> Text,
        attempts -> Int4,
        last_status_code -> Nullable<Int4>,
        last_response -> Nullable<Text>,
        last_attempt_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    participant_tiers,
    reward_min_tiers,
    tier_settings,
    tiers,
    audit_events,
    auth_tokens,
    badge_awards,
    badges,
    challenge_awards,
    challenge_banners,
    challenge_contributions,
    challenge_partner_scores,
    challenge_rank_prizes,
    challenge_rules,
    challenge_scores,
    challenge_segments,
    challenge_tiers,
    challenge_uploaded_targets,
    challenges,
    declaration_decisions,
    declaration_lines,
    declaration_proofs,
    declaration_rules,
    declarations,
    delivery_addresses,
    import_column_mappings,
    import_uploads,
    email_opt_outs,
    jobs,
    ledger_accounts,
    ledger_balances,
    ledger_holds,
    ledger_lot_uses,
    ledger_lots,
    ledger_postings,
    ledger_transactions,
    login_attempts,
    media,
    mission_answers,
    mission_attempts,
    mission_completions,
    mission_options,
    mission_photo_rules,
    mission_photos,
    mission_questions,
    mission_quiz_rules,
    mission_segments,
    mission_video_rules,
    mission_video_watches,
    missions,
    news_posts,
    news_segments,
    opening_stock,
    order_rules,
    partners,
    products,
    reward_categories,
    reward_codes,
    reward_images,
    reward_order_lines,
    reward_orders,
    reward_segments,
    reward_wishes,
    rewards,
    segment_partners,
    segments,
    sell_in,
    tenant_domains,
    tenants,
    users,
    webhook_deliveries,
    webhook_endpoints,
);
