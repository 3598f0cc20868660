{% snapshot check_ignore %}
{{ config(strategy='check', check_cols=['name', 'bu']) }}
select * from {{ source('raw', 'people') }}
{% endsnapshot %}

{% snapshot check_invalidate %}
{{ config(strategy='check', check_cols='all', hard_deletes='invalidate') }}
select * from {{ source('raw', 'people') }}
{% endsnapshot %}

{% snapshot check_new_record %}
{{ config(strategy='check', check_cols=['name', 'bu'], hard_deletes='new_record') }}
select * from {{ source('raw', 'people') }}
{% endsnapshot %}

{% snapshot check_updated_at_current %}
{{ config(strategy='check', check_cols=['bu'], updated_at='updated_at', hard_deletes='new_record',
          dbt_valid_to_current="'9999-12-31'::timestamp") }}
select * from {{ source('raw', 'people') }}
{% endsnapshot %}
