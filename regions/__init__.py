"""Region plugins shipped with yibao-policy, each registered in the ``yibao.regions``
entry-point group exactly as a third-party region would be."""
