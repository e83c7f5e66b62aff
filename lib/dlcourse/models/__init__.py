"""PyTorch reference models and their training loops (lectures 06-14).

Imported on first use of a name, so ``import dlcourse.models`` stays cheap until a model is
needed (every module here imports torch).

- ``training``  ``fit``, ``predict``, ``accuracy``: the mini-batch loop every lecture uses
- ``lenet``     ``LeNet`` (LeCun et al. 1998) and ``feature_maps`` to look inside a CNN (lecture 07)
- ``residual``  plain and residual stacks, the two residual block kinds, gradient norms
                per layer, ``freeze``/``unfreeze`` for transfer learning (lecture 08)
- ``charlm``    a character-level recurrent language model and its sampler (lecture 09)
- ``autoencoders``  autoencoders, the VAE, the RBM with CD-k, the channel autoencoder (lecture 10)
- ``gan``       GAN and DCGAN generators and discriminators, conditional GANs, their losses and loop (lecture 11)
- ``wgan``      the WGAN critic, weight clipping, the gradient penalty and their loop (lecture 12)
- ``style``     ``FeatureExtractor`` (a random multi-scale CNN, or VGG19 from a local Keras weights file),
                the Gram matrix, content, style and total-variation losses, ``transfer_style`` (lecture 13)
- ``qlearning`` tabular Q-learning, the epsilon schedule, policies on grid worlds (lecture 14)
- ``dqn``       the DQN of Mnih et al. (2015): Q networks, replay buffer, targets, training (lecture 14)
"""
import importlib

_LAZY = {
    "fit": "training", "predict": "training", "accuracy": "training",
    "LeNet": "lenet", "feature_maps": "lenet",
    "DeepStack": "residual", "ResidualBlock": "residual", "BottleneckBlock": "residual",
    "gradient_norms": "residual", "freeze": "residual", "unfreeze": "residual",
    "CharVocabulary": "charlm", "CharLM": "charlm", "sample_text": "charlm", "train_charlm": "charlm",
    "Autoencoder": "autoencoders", "train_autoencoder": "autoencoders", "VAE": "autoencoders",
    "vae_loss": "autoencoders", "train_vae": "autoencoders",
    "RBM": "autoencoders", "kl_sparsity_penalty": "autoencoders", "ChannelAutoencoder": "autoencoders",
    "Generator": "gan", "Discriminator": "gan", "DCGANGenerator": "gan", "DCGANDiscriminator": "gan",
    "ConditionalGenerator": "gan", "ConditionalDiscriminator": "gan", "discriminator_loss": "gan",
    "generator_loss": "gan", "train_gan": "gan",
    "Critic": "wgan", "LineGenerator": "wgan", "plot_critic": "wgan", "critic_loss": "wgan", "clip_weights": "wgan",
    "gradient_penalty": "wgan", "train_wgan": "wgan",
    "FeatureExtractor": "style", "gram_matrix": "style", "content_loss": "style", "style_loss": "style",
    "total_variation": "style", "transfer_style": "style",
    "epsilon_by_step": "qlearning", "q_learning": "qlearning", "greedy_policy": "qlearning", "run_policy": "qlearning",
    "plot_q_table": "qlearning",
    "QNetwork": "dqn", "AtariQNetwork": "dqn", "ReplayBuffer": "dqn", "td_targets": "dqn", "sync_target": "dqn",
    "train_dqn": "dqn", "evaluate_greedy": "dqn",
}

__all__ = list(_LAZY)


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'dlcourse.models' has no attribute {name!r}; public names: {', '.join(__all__)}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
