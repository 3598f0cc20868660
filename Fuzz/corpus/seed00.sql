select {{ ref('a') }}, {{ config(materialized='table') }}
