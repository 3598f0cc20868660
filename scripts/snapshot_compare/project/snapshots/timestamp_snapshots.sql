{% snapshot ts_ignore %}
{{ config(strategy='timestamp', updated_at='updated_at') }}
select * from {{ source('raw', 'people') }}
{% endsnapshot %}

{% snapshot ts_invalidate %}
{{ config(strategy='timestamp', updated_at='updated_at', invalidate_hard_deletes=True) }}
select * from {{ source('raw', 'people') }}
{% endsnapshot %}

{% snapshot ts_new_record %}
{{ config(strategy='timestamp', updated_at='updated_at', hard_deletes='new_record') }}
select * from {{ source('raw', 'people') }}
{% endsnapshot %}
