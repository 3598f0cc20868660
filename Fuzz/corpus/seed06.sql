{% call m() %}inner{% endcall %}{% filter upper %}abc{% endfilter %}{% raw %}{{ x }}{% endraw %}
